import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ComputeBadge } from '@/components/ui/ComputeBadge';
import { LessonNav } from '@/components/ui/LessonNav';
import { Search } from '@/components/ui/Search';
import { SiteLinks } from '@/components/ui/SiteLinks';
import { LESSONS } from '@/content/lessons';
import './globals.css';
import './styles/presenter.css';
import './styles/toolkit.css';
import './styles/find.css';
import './styles/screens.css';

export const metadata: Metadata = {
  title: { default: 'Lowbit — quantization, LoRA and QLoRA, live', template: '%s · Lowbit' },
  description:
    'An interactive course on how large language models are made small and cheap to adapt: number formats, quantization, NF4, GGUF, LoRA and QLoRA, computed live on your GPU.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fbfbfa' },
    { media: '(prefers-color-scheme: dark)', color: '#14161a' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">Skip to content</a>
        <header className="site-header">
          <Link href="/" className="site-title">
            Lowbit<span>quantization, live</span>
          </Link>
          <Search />
          <ComputeBadge />
        </header>
        <div className="shell">
          <aside className="sidebar">
            <div className="sidebar-inner">
              {/* Closed on phones; always shown on wide screens (app/styles/screens.css). */}
              <details className="lessons-menu">
                <summary>Lessons</summary>
                <LessonNav lessons={LESSONS.map(({ slug, title }) => ({ slug, title }))} />
              </details>
              <SiteLinks />
            </div>
          </aside>
          <main id="content">{children}</main>
        </div>
      </body>
    </html>
  );
}
