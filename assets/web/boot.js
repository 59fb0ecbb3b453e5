// Starts the web client. An external module because the CSP (script-src 'self'
// 'wasm-unsafe-eval') forbids inline scripts. index.html names the content-hashed files in the
// data-js and data-wasm attributes of the <script> tag that loads this file.

const tag = document.querySelector("script[data-js][data-wasm]");
const status = document.getElementById("boot");

// Registering after "load" keeps the worker's precaching from competing with the first start.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
      // The portal works without the worker, only not offline.
      console.warn("Portál občana: service worker not registered", error);
    });
  });
}

function showError() {
  if (!status) return;
  const paragraph = (lang, text) => {
    const p = document.createElement("p");
    p.lang = lang;
    p.textContent = text;
    return p;
  };
  const retry = document.createElement("button");
  retry.type = "button";
  retry.textContent = "Zkusit znovu / Try again";
  retry.addEventListener("click", () => window.location.reload());
  status.classList.add("boot-error");
  status.setAttribute("role", "alert");
  status.replaceChildren(
    paragraph("cs", "Portál se nepodařilo spustit. Zkontrolujte připojení k internetu a zkuste to znovu."),
    paragraph("en", "The portal could not start. Check your internet connection and try again."),
    retry,
  );
}

async function start() {
  if (!tag) throw new Error("index.html has no <script data-js data-wasm> tag");
  const { default: init } = await import(tag.dataset.js);
  await init({ module_or_path: tag.dataset.wasm });
  // The app renders into #main; the placeholder beside it can go.
  status?.remove();
}

start().catch((error) => {
  console.error("Portál občana: start failed", error);
  showError();
});
