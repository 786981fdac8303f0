import Lesson from '@/content/lessons/scale-and-zero-point.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('scale-and-zero-point');

export default function Page() {
  return (
    <LessonPage slug="scale-and-zero-point">
      <Lesson />
    </LessonPage>
  );
}
