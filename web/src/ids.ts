/** Client ids for messages: letters, digits, _ and - (the server's pattern), unique per message. */
export function newClientId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  let out = 'c';
  for (const b of bytes) out += b.toString(36).padStart(2, '0');
  return `${out}-${Date.now().toString(36)}`;
}
