export function apiStore(): string {
  return 'api-store';
}
