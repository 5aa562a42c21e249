import type { Page } from '@playwright/test';

const ID = 'bench-control';

/**
 * The network benchmarks' floor (bench:network, network-trace): a bare button outside React,
 * just before the widget, whose click adds one to its own text, focused. Pressing it costs what
 * any key press that changes one word of the lesson costs in the same harness.
 */
export async function focusBareButton(page: Page): Promise<void> {
  await page.evaluate((id) => {
    if (document.getElementById(id)) return;
    const control = document.createElement('button');
    control.id = id;
    control.textContent = '0';
    control.addEventListener('click', () => {
      control.textContent = String(Number(control.textContent) + 1);
    });
    document.querySelector('[data-widget="network"]')?.before(control);
  }, ID);
  await page.locator(`#${ID}`).focus();
}

/** Takes the floor's button out again, so what is measured next is the page as it was. */
export async function removeBareButton(page: Page): Promise<void> {
  await page.evaluate((id) => document.getElementById(id)?.remove(), ID);
}
