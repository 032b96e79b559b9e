// Vite (the bundler) and vitest inline `?raw` imports as strings: the demo lab ships inside the bundle.
declare module '*?raw' {
  const text: string;
  export default text;
}
