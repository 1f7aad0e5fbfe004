import { LoadingState } from "@/components/loading-state";

// Per page, not for all of /coach: a loading boundary above /coach/bookings/[id] would start streaming before
// the page can call notFound(), and an unknown or foreign booking would answer 200 instead of 404.
export default LoadingState;
