// Any address no other route claims: the 404 page, with its status.
export async function loader() {
  throw new Response("Page not found", { status: 404 });
}

export default function NotFound() {
  return null;
}
