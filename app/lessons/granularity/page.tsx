import Lesson from '@/content/lessons/granularity.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('granularity');

export default function Page() {
  return (
    <LessonPage slug="granularity">
      <Lesson />
    </LessonPage>
  );
}
