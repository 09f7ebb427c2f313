declare module 'email-providers' {
  /** Domains of free and disposable email providers (gmail.com, yahoo.com, …). */
  const domains: readonly string[];
  export default domains;
}
