import Lesson from '@/content/lessons/number-formats.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('number-formats');

export default function Page() {
  return (
    <LessonPage slug="number-formats">
      <Lesson />
    </LessonPage>
  );
}
