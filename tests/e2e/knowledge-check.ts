import type { Page } from '@playwright/test';

/**
 * Scrolls the lesson's knowledge check into view. The quiz renders the learner's options and
 * forms only once it comes near the viewport (QuizProvider), as a learner reaching the end of
 * the lesson would; a test that answers it scrolls there first.
 */
export async function scrollToKnowledgeCheck(page: Page): Promise<void> {
  await page.locator('[data-quiz="knowledge-check"]').scrollIntoViewIfNeeded();
}
