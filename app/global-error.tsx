"use client";

export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", padding: "4rem 1rem" }}>
        <h1>Something went wrong</h1>
        <p>Coachbook could not load. Please try again.</p>
        <button type="button" onClick={reset}>Try again</button>
      </body>
    </html>
  );
}
