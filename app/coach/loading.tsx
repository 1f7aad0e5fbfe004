import { LoadingState } from "@/components/loading-state";

// Segment-level (not root) so a 404 from a public page is sent before streaming starts, with a real 404 status.
export default LoadingState;
