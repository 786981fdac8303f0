import Lesson from '@/content/lessons/four-bit.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('four-bit');

export default function Page() {
  return (
    <LessonPage slug="four-bit">
      <Lesson />
    </LessonPage>
  );
}
