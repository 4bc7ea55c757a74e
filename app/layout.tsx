import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { TimeZoneCookie } from "@/components/time-zone-cookie";
import { Toaster } from "@/components/ui/toaster";
import { TooltipProvider } from "@/components/ui/tooltip";
import { TRPCReactProvider } from "@/lib/trpc/react";
import { env } from "@/server/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Parley", template: "%s · Parley" },
  description: "Real-time chat where the database decides who sees what.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#0b1120" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The response's script nonce (server/http/security-headers.ts), for next-themes' inline
  // script. Reading it renders every page per request, which a nonce needs anyway.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // next-themes sets the theme class before hydration; React must not warn about it.
    <html lang="en" suppressHydrationWarning>
      <body>
        <TimeZoneCookie />
        <ThemeProvider nonce={nonce}>
          <TRPCReactProvider baseUrl={env.appUrl}>
            <TooltipProvider>
              {children}
              <Toaster />
            </TooltipProvider>
          </TRPCReactProvider>
        </ThemeProvider>
      </body>
    </html>
  );
}
