import Lesson from '@/content/lessons/activations-and-outliers.mdx';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';

export const metadata = lessonMetadata('activations-and-outliers');

export default function Page() {
  return (
    <LessonPage slug="activations-and-outliers">
      <Lesson />
    </LessonPage>
  );
}
