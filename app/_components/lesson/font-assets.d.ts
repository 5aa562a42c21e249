// Turbopack turns an imported font file into its public URL (/_next/static/media/<name>.<hash>.woff2).
declare module '*.woff2' {
  const href: string;
  export default href;
}
