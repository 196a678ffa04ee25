import type { ComponentProps, ReactNode } from "react";
import {
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";

type CardSectionProps = Omit<ComponentProps<"div">, "title"> & {
  title: ReactNode;
  titleId?: string;
  titleClassName?: string;
  description?: ReactNode;
  /** Shown at the right of the header (a button, a menu). */
  action?: ReactNode;
  /** The class of the CardContent that holds `children`. */
  contentClassName?: string;
  /**
   * `children` come after the header as they are, without a CardContent around them: for a form
   * that holds both the content and the footer.
   */
  bare?: boolean;
  footer?: ReactNode;
  footerClassName?: string;
};

/** A card with a title, an optional description and action, then its content and footer. */
export function CardSection({
  title,
  titleId,
  titleClassName,
  description,
  action,
  contentClassName,
  bare = false,
  footer,
  footerClassName,
  children,
  ...cardProps
}: CardSectionProps) {
  return (
    <Card {...cardProps}>
      <CardHeader>
        <CardTitle id={titleId} className={titleClassName}>
          {title}
        </CardTitle>
        {description !== undefined && <CardDescription>{description}</CardDescription>}
        {action !== undefined && <CardAction>{action}</CardAction>}
      </CardHeader>
      {bare
        ? children
        : children !== undefined && <CardContent className={contentClassName}>{children}</CardContent>}
      {footer !== undefined && <CardFooter className={footerClassName}>{footer}</CardFooter>}
    </Card>
  );
}
