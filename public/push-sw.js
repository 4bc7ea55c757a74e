// Parley's service worker: it only shows web pushes and opens the app when one is clicked.
// The server encrypts each push for this browser (RFC 8291); the browser decrypts it before
// this runs, so `event.data` is the payload server/notifications/push-payload.ts builds.

self.addEventListener("push", (event) => {
  const payload = event.data ? event.data.json() : null;
  if (!payload || typeof payload.title !== "string") return;
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: typeof payload.body === "string" ? payload.body : "",
      tag: typeof payload.tag === "string" ? payload.tag : undefined,
      icon: "/icon.svg",
      data: { url: typeof payload.url === "string" ? payload.url : "/chat" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? "/chat", self.location.origin);
  // Only ever a page of Parley itself.
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === target.origin);
      if (open) return open.focus().then((w) => w.navigate(target.href));
      return self.clients.openWindow(target.href);
    }),
  );
});
