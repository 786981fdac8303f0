import Lesson from '@/content/lessons/why-quantize.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('why-quantize');

export default function Page() {
  return (
    <LessonPage slug="why-quantize">
      <Lesson />
    </LessonPage>
  );
}
