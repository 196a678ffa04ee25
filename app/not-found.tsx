// A plain <a> home (not next/link): the root not-found page's code loads with every page.
import { Logo } from "@/components/brand/logo";
import { buttonVariants } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center">
      <Logo className="text-lg" />
      <p className="text-6xl font-bold tracking-tight text-muted-foreground/60">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="max-w-sm text-sm text-muted-foreground">
        The page does not exist, or it belongs to a workspace you are not a member of.
      </p>
      <a href="/" className={buttonVariants()}>
        Go home
      </a>
    </div>
  );
}
