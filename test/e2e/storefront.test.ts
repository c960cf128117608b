/**
 * The storefront in a real browser (Debian's Chromium through playwright-core), against the
 * real shop started as `npm start` starts it: the router serves the built web/dist from its own
 * origin. One shopper's story, an admin in another browser context, axe-core on each main page,
 * screenshots at desktop and phone width in .data/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Stack } from '../../scripts/stack';
import { buildStorefront } from '../../scripts/web';
import { launchChromium, screenshots, seriousViolations } from '../support/browser';
import { eventually, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';

jest.setTimeout(120_000);

let stack: Stack;
let env: Record<string, string>;
let origin: string;
let browser: Browser;
let shopper: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const elsewhere: string[] = [];

beforeAll(async () => {
  buildStorefront({ onlyIfStale: true });
  ({ stack, env } = await startTestStack('web'));
  origin = stack.routerUrl.replace(/\/graphql$/, '');
  browser = await launchChromium();
  shopper = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await shopper.newPage();
  // Generous: the machine may be shared with benchmarks; a passing run never waits for it.
  page.setDefaultTimeout(30_000);
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  shopper.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith(origin.replace('http', 'ws')) && !url.startsWith('data:')) elsewhere.push(url);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page checked the same way each time: no serious accessibility problem, usable at phone width. */
async function checkPage(name: string) {
  expect({ name, violations: await seriousViolations(page) }).toEqual({ name, violations: [] });
  expect({ name, ...(await screenshots(page, name)) }).toEqual({ name, fitsPhone: true });
}

describe('the storefront, in Chromium', () => {
  const email = `web.${Date.now()}@example.com`;
  let product: { id: string; name: string; stock: number; price: { cents: number } };
  let orderNumber: string;
  let orderUrl: string;

  it('serves the app and its catalogue from the router, with category counts', async () => {
    const res = await page.goto(`${origin}/`);
    expect(res!.headers()['content-security-policy']).toContain("connect-src 'self'");
    await page.getByRole('heading', { name: 'Catalogue' }).waitFor();
    await page.getByText(/^\d+ products$/).waitFor();
    expect(await page.locator('#category option').count()).toBeGreaterThan(2);
    expect(await page.locator('#category option').nth(1).textContent()).toMatch(/^\S.* \(\d+\)$/);
    await checkPage('catalogue');
  });

  it('speaks French when asked, and keeps the choice', async () => {
    await page.getByLabel('Language').selectOption('fr');
    await page.getByLabel('Rechercher des produits').waitFor();
    await page.getByRole('link', { name: 'Panier' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.reload();
    await page.getByText(/^\d+ produits$/).waitFor();
    // Category names are translated too (the catalogue's keys are English words).
    const names = async () => (await page.locator('#category option').allTextContents()).map((o) => o.replace(/ \(\d+\)$/, ''));
    expect(await names()).toEqual(expect.arrayContaining(['Toutes les catégories', 'Cuisine', 'Livres', 'Électronique']));
    await checkPage('catalogue-fr');
    await page.getByLabel('Langue').selectOption('en');
    await page.getByLabel('Search products').waitFor();
    expect(await names()).toEqual(expect.arrayContaining(['All categories', 'Kitchen', 'Books', 'Electronics']));
  });

  it('signs a shopper up', async () => {
    await page.getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill('Web Shopper');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password').fill('correct-horse-1');
    await checkPage('sign-up');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('link', { name: 'My account' }).waitFor();
  });

  it('finds a product by searching, and adds two of it to the cart', async () => {
    const res = await gql(stack.routerUrl, `{ products(first: 20, filter: { inStock: true }) { edges { node { id name stock price { cents } } } } }`);
    product = res.data.products.edges.map((e: any) => e.node).find((p: any) => p.stock >= 5);
    await page.getByLabel('Search products').fill(product.name);
    await page.getByLabel('Search products').press('Enter');
    await page.getByText(new RegExp(`products for “${product.name}”`)).waitFor();
    await page.getByRole('link', { name: product.name, exact: true }).first().click();
    await page.getByRole('heading', { name: product.name }).waitFor();
    await page.getByText(/in stock$/).waitFor();
    await checkPage('product');
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText(`Added 2 × ${product.name} to your cart.`).waitFor();
    await page.getByRole('link', { name: 'Cart (2)' }).waitFor();
  });

  it('keeps the cart across a reload, and shows CHAT10 as 10 % off', async () => {
    await page.reload();
    await page.getByRole('link', { name: 'Cart (2)' }).click();
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    await page.getByLabel('Promo code').fill('NOPE-CODE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('This code does not exist.').waitFor();
    await page.getByLabel('Promo code').fill('chat10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/CHAT10: 10 % off/).waitFor();
    const subtotal = product.price.cents * 2;
    const euros = (cents: number) => new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
    expect(await page.getByTestId('discount').textContent()).toBe(`−${euros(Math.floor(subtotal / 10))}`);
    expect(await page.getByTestId('total').textContent()).toBe(euros(subtotal - Math.floor(subtotal / 10)));
    await checkPage('cart');
  });

  it('says clearly when a line is out of stock', async () => {
    await page.getByLabel(`Quantity of ${product.name}`).fill(String(product.stock + 1));
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByText(`${product.name} is out of stock: only ${product.stock} left. Lower the quantity to order.`).waitFor();
    await page.getByLabel(`Quantity of ${product.name}`).fill('2');
  });

  it('places the order and shows its number', async () => {
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByTestId('order-number').or(page.getByRole('alert')).waitFor();
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    orderNumber = (await page.getByTestId('order-number').textContent())!;
    orderUrl = page.url();
    expect(orderNumber).toMatch(/^\d+$/);
    await page.getByRole('heading', { name: `Order ${orderNumber}` }).waitFor();
    expect(await page.getByTestId('order-status').textContent()).toBe('Confirmed');
    await page.getByRole('link', { name: 'Cart', exact: true }).waitFor();
    await checkPage('order');
  });

  it('shows SHIPPED without a reload when an admin, in another browser context, ships it', async () => {
    // The order page is subscribed once the router counts the subscription.
    await eventually(async () => {
      const health = (await (await fetch(`${origin}/healthz`)).json()) as { subscriptions: number };
      return health.subscriptions > 0 || undefined;
    });
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));

    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const adminPage = await admin.newPage();
    adminPage.setDefaultTimeout(30_000);
    await adminPage.goto(`${origin}/login?next=/admin/orders`);
    await adminPage.getByLabel('Email').fill(env.ADMIN_EMAIL);
    await adminPage.getByLabel('Password').fill(env.ADMIN_PASSWORD);
    await adminPage.getByRole('button', { name: 'Log in' }).click();
    await adminPage.getByRole('heading', { name: 'Orders' }).waitFor();
    const ship = adminPage.getByRole('button', { name: `Mark shipped: order ${orderNumber}` });
    expect({ violations: await seriousViolations(adminPage) }).toEqual({ violations: [] });
    await screenshots(adminPage, 'admin-orders');
    await ship.click();
    await adminPage.getByText(`Order ${orderNumber} is now shipped.`).waitFor();

    // The other admin pages: CHAT10 counts this order; the product's stock is adjusted.
    await adminPage.getByRole('link', { name: 'Promotions' }).click();
    const chat10 = adminPage.getByRole('row').filter({ hasText: 'CHAT10' });
    await chat10.getByRole('cell').nth(2).filter({ hasText: /^1$/ }).waitFor();
    expect({ violations: await seriousViolations(adminPage) }).toEqual({ violations: [] });
    await screenshots(adminPage, 'admin-promotions');
    await adminPage.getByRole('link', { name: 'Products' }).click();
    await adminPage.getByLabel('Search products').fill(product.name);
    await adminPage.getByRole('button', { name: 'Search' }).click();
    await adminPage.getByLabel(`Stock change for ${product.name}`).first().fill('3');
    await adminPage.getByRole('button', { name: 'Adjust' }).first().click();
    await adminPage.getByText(`${product.name}: stock adjusted.`).waitFor();
    expect({ violations: await seriousViolations(adminPage) }).toEqual({ violations: [] });
    await admin.close();

    await page.getByTestId('order-status').filter({ hasText: 'Shipped' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    await screenshots(page, 'order-shipped');
  });

  it('lists the order with its status on My account', async () => {
    await page.getByRole('link', { name: 'My account' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Order ${orderNumber}` }) });
    await row.getByText('Shipped').waitFor();
    await page.getByRole('heading', { name: 'Messages we sent you' }).waitFor();
    await checkPage('account');
  });

  it('changes the marketing opt-in, the language of messages and the phone, refusing a bad number', async () => {
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save preferences' }) });
    await form.waitFor();
    expect(await page.getByLabel('Send me offers by email').isChecked()).toBe(false);
    await page.getByLabel('Phone for SMS updates (optional)').fill('12');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await form.getByRole('alert').filter({ hasText: 'Could not save: Phone must be an international number' }).waitFor();
    await page.getByLabel('Send me offers by email').check();
    await page.getByLabel('Language of our messages').selectOption('fr');
    await page.getByLabel('Phone for SMS updates (optional)').fill('+33 6 12 34 56 78');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    // Saved, and the page now speaks the language chosen for messages.
    await page.getByText('Préférences enregistrées.').waitFor();
    await page.getByText('Vous recevez nos offres par e-mail.').waitFor();
    await page.reload();
    await page.getByLabel('Recevoir nos offres par e-mail').waitFor();
    expect(await page.getByLabel('Recevoir nos offres par e-mail').isChecked()).toBe(true);
    expect(await page.getByLabel('Langue de nos messages').inputValue()).toBe('fr');
    expect(await page.getByLabel('Téléphone pour les SMS de suivi (facultatif)').inputValue()).toBe('+33612345678');
    await checkPage('account-preferences-fr');
    await page.getByLabel('Langue', { exact: true }).selectOption('en');
    await page.getByLabel('Search products').or(page.getByRole('heading', { name: 'My account' })).first().waitFor();
  });

  it('made no request to another origin, none the browser refused (CORS), and logged no error', () => {
    expect(elsewhere).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('reconnects after the router restarts, and shows DELIVERED without a reload', async () => {
    await page.goto(orderUrl);
    await page.getByTestId('order-status').filter({ hasText: 'Shipped' }).waitFor();
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    await stack.kill('router');
    await stack.restart('router');
    const admin = await gql(stack.routerUrl, 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD });
    const orderId = new URL(orderUrl).pathname.split('/').pop();
    const res = await gql(stack.routerUrl, 'mutation($id: ID!) { updateOrderStatus(id: $id, status: DELIVERED) { status } }', { id: orderId }, admin.data.logIn.token);
    expect(res.data?.updateOrderStatus.status).toBe('DELIVERED');
    await page.getByTestId('order-status').filter({ hasText: 'Delivered' }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
  });

  it('refreshes an expired access token silently', async () => {
    const before = await page.evaluate(() => {
      const s = JSON.parse((globalThis as any).localStorage.getItem('shop.session')!);
      const refreshToken = s.refreshToken;
      s.token = 'not.a.token';
      (globalThis as any).localStorage.setItem('shop.session', JSON.stringify(s));
      return refreshToken as string;
    });
    await page.goto(`${origin}/account`);
    await page.getByRole('link', { name: `Order ${orderNumber}` }).waitFor();
    const after = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('shop.session')!));
    expect(after.token).not.toBe('not.a.token');
    expect(after.refreshToken).not.toBe(before);
  });

  it('refreshes once for two tabs at once: the session survives (a second spend would revoke it)', async () => {
    const second = await shopper.newPage();
    await second.goto(`${origin}/account`);
    await second.getByRole('link', { name: `Order ${orderNumber}` }).waitFor();
    const expire = (p: Page) =>
      p.evaluate(() => {
        const s = JSON.parse((globalThis as any).localStorage.getItem('shop.session')!);
        s.token = 'not.a.token';
        (globalThis as any).localStorage.setItem('shop.session', JSON.stringify(s));
      });
    await expire(page);
    const before = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('shop.session')!).refreshToken as string);
    // Both tabs load with the expired token and refresh at the same moment.
    await Promise.all([page.goto(`${origin}/account`), second.goto(`${origin}/account`)]);
    await Promise.all([page, second].map((p) => p.getByRole('link', { name: `Order ${orderNumber}` }).waitFor()));
    const after = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('shop.session')!).refreshToken as string);
    expect(after).not.toBe(before);
    expect(await second.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('shop.session')!).refreshToken as string)).toBe(after);
    // The old token was spent once only: had it been spent twice, the session would be revoked and this refused.
    const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { token refreshToken } }';
    const { data } = await gql(stack.routerUrl, REFRESH, { t: after });
    expect(data?.refreshSession.refreshToken).toEqual(expect.any(String));
    // Hand the new pair to the tabs, as a refresh in a third tab would.
    await page.evaluate((pair) => {
      const s = JSON.parse((globalThis as any).localStorage.getItem('shop.session')!);
      (globalThis as any).localStorage.setItem('shop.session', JSON.stringify({ ...s, ...pair }));
    }, data!.refreshSession);
    await second.close();
    await page.reload();
    await page.getByRole('link', { name: `Order ${orderNumber}` }).waitFor();
  });

  it('logs out (the session ends on the server too) and logs in again', async () => {
    const { refreshToken } = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('shop.session')!));
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await eventually(async () => {
      const res = await gql(stack.routerUrl, 'mutation($t: String!) { refreshSession(refreshToken: $t) { token } }', { t: refreshToken });
      return res.errors ? true : undefined;
    }, 5000);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'My account' }).waitFor();
  });

  it('sends the shopper back to log in when the session was revoked', async () => {
    const { refreshToken } = await page.evaluate(() => JSON.parse((globalThis as any).localStorage.getItem('shop.session')!));
    const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { token refreshToken } }';
    expect((await gql(stack.routerUrl, REFRESH, { t: refreshToken })).data?.refreshSession).toBeTruthy();
    // Presenting the spent token again revokes the whole session.
    expect((await gql(stack.routerUrl, REFRESH, { t: refreshToken })).errors).toBeDefined();
    await page.evaluate(() => {
      const s = JSON.parse((globalThis as any).localStorage.getItem('shop.session')!);
      s.token = 'not.a.token';
      (globalThis as any).localStorage.setItem('shop.session', JSON.stringify(s));
    });
    await page.reload();
    await page.getByText('Your session has ended. Please log in again.').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByRole('link', { name: 'Log in' }).waitFor();
  });
});
