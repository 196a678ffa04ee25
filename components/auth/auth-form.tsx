"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { signIn, signUp } from "@/lib/auth-client";

const signInSchema = z.object({
  email: z.string().trim().email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});
const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(255),
  email: z.string().trim().email("Enter a valid email address"),
  password: z.string().min(8, "Use at least 8 characters").max(128, "Use at most 128 characters"),
});

type Values = { name?: string; email: string; password: string };

/** Only same-site paths may be used as a post-auth destination (no open redirect). */
function safeNext(next: string | null): string | null {
  return next?.startsWith("/") && !next.startsWith("//") ? next : null;
}

export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(mode === "sign-in" ? signInSchema : signUpSchema) as never,
    mode: "onTouched",
    defaultValues: { name: "", email: params.get("email") ?? "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const res =
      mode === "sign-in"
        ? await signIn.email({ email: values.email.trim(), password: values.password })
        : await signUp.email({
            name: values.name?.trim() ?? "",
            email: values.email.trim(),
            password: values.password,
          });
    if (res.error) {
      setError(
        res.error.status === 429
          ? (res.error.message ?? "Too many attempts. Wait a minute and try again.")
          : (res.error.message ?? "Something went wrong"),
      );
      return;
    }
    // Two-factor accounts finish signing in with a code.
    if (res.data && "twoFactorRedirect" in res.data && res.data.twoFactorRedirect) {
      router.replace(next ? `/two-factor?next=${encodeURIComponent(next)}` : "/two-factor");
      return;
    }
    router.replace(next ?? (mode === "sign-up" ? "/onboarding" : "/"));
    router.refresh();
  });

  const other = mode === "sign-in" ? "/sign-up" : "/sign-in";
  const otherHref = next ? `${other}?next=${encodeURIComponent(next)}` : other;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">{mode === "sign-in" ? "Sign in" : "Create your account"}</CardTitle>
        <CardDescription>
          {mode === "sign-in"
            ? "Welcome back. Sign in to your workspace."
            : "Start planning your organic marketing."}
        </CardDescription>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate>
        <CardContent className="grid gap-4">
          {mode === "sign-up" && (
            <Field label="Name" htmlFor="name" error={errors.name?.message}>
              <Input id="name" autoComplete="name" {...form.register("name")} aria-invalid={!!errors.name} />
            </Field>
          )}
          <Field label="Email" htmlFor="email" error={errors.email?.message}>
            <Input
              id="email"
              type="email"
              autoComplete="email"
              {...form.register("email")}
              aria-invalid={!!errors.email}
            />
          </Field>
          <Field
            label="Password"
            htmlFor="password"
            error={errors.password?.message}
            hint={mode === "sign-up" ? "At least 8 characters." : undefined}
          >
            <Input
              id="password"
              type="password"
              autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
              {...form.register("password")}
              aria-invalid={!!errors.password}
            />
          </Field>
          {error && (
            <p role="alert" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
              {error}
            </p>
          )}
        </CardContent>
        <CardFooter className="mt-6 flex flex-col gap-3">
          <Button type="submit" className="w-full" disabled={isSubmitting}>
            {isSubmitting && <Spinner />}
            {mode === "sign-in" ? "Sign in" : "Create account"}
          </Button>
          <p className="text-sm text-muted-foreground">
            {mode === "sign-in" ? "New to Organic? " : "Already have an account? "}
            <Link href={otherHref} className="font-medium text-foreground underline-offset-4 hover:underline">
              {mode === "sign-in" ? "Create an account" : "Sign in"}
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
