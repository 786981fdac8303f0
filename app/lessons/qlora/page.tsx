import Lesson from '@/content/lessons/qlora.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('qlora');

export default function Page() {
  return (
    <LessonPage slug="qlora">
      <Lesson />
    </LessonPage>
  );
}
