import Link from 'next/link';

/** The sidebar's links to the site's tools, below the lessons. */
export function SiteLinks() {
  return (
    <nav className="sidebar-links" aria-label="Tools">
      <Link href="/notebook/">Notebook</Link>
      <Link href="/glossary/">Glossary</Link>
      <Link href="/check/">Check this computer</Link>
    </nav>
  );
}
