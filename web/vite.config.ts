import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` proxies the API to a `tandem serve` on 8080; `npm run build` writes dist/, which
// `tandem serve` serves with TANDEM_WEB_DIR.
export default defineConfig({
  plugins: [react()],
  build: { target: "es2022", sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8080", "/healthz": "http://127.0.0.1:8080" } },
});
