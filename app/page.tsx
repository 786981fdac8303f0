import Link from 'next/link';
import { QuizProgress } from '@/components/ui/QuizProgress';
import { LESSONS } from '@/content/lessons';
import { lessonQuizIds } from '@/components/lesson/source';

export default function CourseHome() {
  return (
    <div className="column">
      <section className="hero">
        <h1>Make large language models small — and see every bit of it.</h1>
        <p>
          Number formats, quantization, NF4 and GGUF, LoRA and QLoRA. Every number on these pages is
          computed live in your browser, on real tensors, on your GPU where it has WebGPU.
        </p>
      </section>
      <p className="home-notebook">
        Want to try your own idea? The <Link href="/notebook/">notebook</Link> runs TypeScript against the
        course’s own library on your GPU, and reads your own <code>.safetensors</code>, <code>.npy</code> and <code>.gguf</code> files.
      </p>
      <h2>Lessons</h2>
      <ol className="lesson-cards" data-testid="lesson-cards">
        {LESSONS.map((lesson, i) => (
          <li key={lesson.slug}>
            <Link href={`/lessons/${lesson.slug}/`} className="lesson-card">
              <h2>
                {i + 1}. {lesson.title}
              </h2>
              <p>{lesson.summary}</p>
              <span className="meta">
                <span>{lesson.minutes} min</span>
                <QuizProgress slug={lesson.slug} questionIds={lessonQuizIds(lesson.slug)} />
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </div>
  );
}
