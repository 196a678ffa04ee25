import type { LucideIcon } from "lucide-react";
import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { Spinner } from "@/components/ui/spinner";

/** An auth page's one-form card: the form holds the header, the fields and the footer. */
export function AuthFormCard({
  title,
  description,
  onSubmit,
  footer,
  footerClassName,
  children,
}: {
  title: ReactNode;
  description: ReactNode;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  footer: ReactNode;
  footerClassName?: string;
  children: ReactNode;
}) {
  return (
    <Card>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-6">
        <CardHeader>
          <CardTitle className="text-xl">{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">{children}</CardContent>
        <CardFooter className={footerClassName}>{footer}</CardFooter>
      </form>
    </Card>
  );
}

/** What an auth step ends with (mail sent, password set, link expired) and where to go next. */
export function AuthOutcomeCard({
  testId,
  icon: Icon,
  title,
  description,
  footerClassName,
  children,
}: {
  testId: string;
  icon?: LucideIcon;
  title: ReactNode;
  description: ReactNode;
  footerClassName?: string;
  children: ReactNode;
}) {
  return (
    <CardSection
      data-testid={testId}
      title={
        Icon ? (
          <>
            <Icon className="size-5 text-success" aria-hidden /> {title}
          </>
        ) : (
          title
        )
      }
      titleClassName={Icon ? "flex items-center gap-2 text-xl" : "text-xl"}
      description={description}
      footer={children}
      footerClassName={footerClassName}
    />
  );
}

/** The form's full-width submit button; it spins while the request runs. */
export function AuthSubmitButton({
  busy,
  disabled = busy,
  children,
}: {
  busy: boolean;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Button type="submit" className="w-full" disabled={disabled}>
      {busy && <Spinner />}
      {children}
    </Button>
  );
}

/** The refusal of the whole form (not of one field). */
export function AuthFormError({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <p
      role="alert"
      data-testid={testId}
      className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive"
    >
      {children}
    </p>
  );
}

export function BackToSignInLink() {
  return (
    <Link href="/sign-in" className="text-muted-foreground text-sm underline-offset-4 hover:underline">
      Back to sign in
    </Link>
  );
}
