/** One confirm dialog for the whole app: ask() opens it and resolves true only on the confirm button. */
export interface ConfirmRequest {
  title: string;
  message: string;
  details?: string[];
  confirmLabel: string;
  danger?: boolean;
}

export const confirmation = $state({ request: null as ConfirmRequest | null });
let answer: ((ok: boolean) => void) | null = null;

export function ask(request: ConfirmRequest): Promise<boolean> {
  answer?.(false);
  confirmation.request = request;
  return new Promise((resolve) => {
    answer = resolve;
  });
}

export function settle(ok: boolean): void {
  confirmation.request = null;
  const resolve = answer;
  answer = null;
  resolve?.(ok);
}
