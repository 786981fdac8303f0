import Lesson from '@/content/lessons/lora.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('lora');

export default function Page() {
  return (
    <LessonPage slug="lora">
      <Lesson />
    </LessonPage>
  );
}
