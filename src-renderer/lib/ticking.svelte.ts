/**
 * A clock that ticks, so "12 s ago" moves on every status screen. Must be created while a component
 * initialises: its effect (the interval) ends with the component.
 */
export function ticking(intervalMs = 3000): { readonly now: number } {
  const clock = $state({ now: Date.now() });
  $effect(() => {
    const timer = setInterval(() => (clock.now = Date.now()), intervalMs);
    return () => clearInterval(timer);
  });
  return clock;
}
