import Lesson from '@/content/lessons/quantized-inference.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('quantized-inference');

export default function Page() {
  return (
    <LessonPage slug="quantized-inference">
      <Lesson />
    </LessonPage>
  );
}
