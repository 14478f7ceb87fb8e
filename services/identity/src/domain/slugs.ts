const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export function isSlug(slug: string): boolean {
  return slug.length <= 64 && SLUG.test(slug);
}
