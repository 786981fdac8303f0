import Lesson from '@/content/lessons/clipping-and-calibration.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('clipping-and-calibration');

export default function Page() {
  return (
    <LessonPage slug="clipping-and-calibration">
      <Lesson />
    </LessonPage>
  );
}
