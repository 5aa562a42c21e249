import type { Page } from '@playwright/test';

/**
 * The network benchmarks' floor (bench:network, network-trace): a bare button outside React,
 * just before the widget, whose click adds one to its own text, focused. Pressing it costs what
 * any key press that changes one word of the lesson costs in the same harness.
 */
export async function focusBareButton(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (document.getElementById('bench-control')) return;
    const control = document.createElement('button');
    control.id = 'bench-control';
    control.textContent = '0';
    control.addEventListener('click', () => {
      control.textContent = String(Number(control.textContent) + 1);
    });
    document.querySelector('[data-widget="network"]')?.before(control);
  });
  await page.locator('#bench-control').focus();
}
