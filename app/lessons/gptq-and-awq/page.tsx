import Lesson from '@/content/lessons/gptq-and-awq.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('gptq-and-awq');

export default function Page() {
  return (
    <LessonPage slug="gptq-and-awq">
      <Lesson />
    </LessonPage>
  );
}
