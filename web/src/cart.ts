/** The cart, kept in localStorage so it survives reloads; shared by every component through useCart. */
import { useSyncExternalStore } from 'react';

export interface CartLine {
  productId: string;
  name: string;
  priceCents: number;
  currency: string;
  quantity: number;
}

const KEY = 'shop.cart';
const listeners = new Set<() => void>();
let lines: CartLine[] = load();

function load(): CartLine[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as CartLine[]) : [];
  } catch {
    return [];
  }
}

function save(next: CartLine[]) {
  lines = next;
  localStorage.setItem(KEY, JSON.stringify(next));
  for (const l of listeners) l();
}

window.addEventListener('storage', (e) => {
  if (e.key === KEY) {
    lines = load();
    for (const l of listeners) l();
  }
});

export const cart = {
  add(line: CartLine) {
    const existing = lines.find((l) => l.productId === line.productId);
    save(existing ? lines.map((l) => (l === existing ? { ...l, quantity: l.quantity + line.quantity } : l)) : [...lines, line]);
  },
  setQuantity(productId: string, quantity: number) {
    save(quantity < 1 ? lines.filter((l) => l.productId !== productId) : lines.map((l) => (l.productId === productId ? { ...l, quantity } : l)));
  },
  remove(productId: string) {
    save(lines.filter((l) => l.productId !== productId));
  },
  clear() {
    save([]);
  },
};

export function useCart(): CartLine[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => lines,
  );
}

export const subtotalCents = (ls: CartLine[]) => ls.reduce((sum, l) => sum + l.priceCents * l.quantity, 0);
