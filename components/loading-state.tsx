export function LoadingState() {
  return (
    <div className="flex items-center gap-3 py-16 text-slate-600" role="status" aria-live="polite">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" />
      Loading…
    </div>
  );
}
