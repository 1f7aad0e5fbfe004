import { LoadingState } from "@/components/loading-state";

// Only the bookings list streams behind a loading state. A loading.tsx higher up (app/student) would wrap the
// booking page too, and its notFound() would then arrive after a streamed 200: unknown or foreign bookings must
// answer HTTP 404 (tests/browser/security.test.ts).
export default LoadingState;
