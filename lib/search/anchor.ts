/** The id of a quiz question's element on its lesson's page (components/mdx/quiz), the anchor search results and the review page link to. */
export function questionAnchor(questionId: string): string {
  return `quiz-${questionId}`;
}
