import fs from "node:fs";
import { summarise } from "./profile.ts";
const secs = Number(process.env.LAST ?? 38);
for (const f of process.argv.slice(2)) { const p = JSON.parse(fs.readFileSync(f, "utf8")); console.log(f, "\n", summarise(p, 45, { fromUs: p.endTime - secs * 1e6, toUs: p.endTime - 1e6 })); }
