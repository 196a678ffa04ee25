"use client";

import { ChevronDownIcon } from "lucide-react";
import {
  Children,
  type ComponentProps,
  createContext,
  isValidElement,
  type ReactNode,
  useContext,
  useState,
} from "react";
import { cn } from "@/lib/utils";
import { SELECT_TRIGGER_CLASS } from "./select-trigger-class";

/*
 * Selects with the parts of components/ui/select-radix.tsx, but Radix's select (its positioning,
 * focus and typeahead code, ~25 kB gzip) loads when a select is first opened rather than with every
 * page that shows one closed (issue 15, page weight; the same shape as lazy-dropdown-menu.tsx). Until
 * then the trigger is a plain button that looks the same and shows the chosen option's label, read
 * from the SelectItems below it; pressing it (pointer or Enter/Space/arrows) loads the select and
 * opens it. Hovering or focusing the trigger starts the download early.
 */
type Parts = typeof import("./select-radix");

const load = () => import("./select-radix");
let loaded: Parts | null = null;

interface LazyState {
  parts: Parts | null;
  request: () => void;
  /** Before loading: the chosen option's label, undefined when nothing is chosen. */
  label?: ReactNode;
  disabled?: boolean;
}

const LazySelect = createContext<LazyState>({ parts: null, request: () => {} });

/** The children of the SelectItem whose value is `value`, searched through elements and fragments. */
function labelOf(node: ReactNode, value: string): ReactNode | undefined {
  let found: ReactNode | undefined;
  Children.forEach(node, (child) => {
    if (found !== undefined || !isValidElement(child)) return;
    const props = child.props as { value?: unknown; children?: ReactNode };
    if (child.type === SelectItem) {
      if (props.value === value) found = props.children;
    } else found = labelOf(props.children, value);
  });
  return found;
}

function Select({ children, ...props }: ComponentProps<Parts["Select"]>) {
  const [parts, setParts] = useState<Parts | null>(loaded);
  const [openOnLoad, setOpenOnLoad] = useState(false);
  const [requested, setRequested] = useState(false);
  const request = () => {
    if (requested) return;
    setRequested(true);
    void load().then((m) => {
      loaded = m;
      setOpenOnLoad(true);
      setParts(m);
      // A controlled select opens through its owner's state.
      if (props.open !== undefined) props.onOpenChange?.(true);
    });
  };
  if (parts)
    return (
      <LazySelect.Provider value={{ parts, request }}>
        <parts.Select {...props} defaultOpen={props.defaultOpen ?? openOnLoad}>
          {children}
        </parts.Select>
      </LazySelect.Provider>
    );
  const chosen = props.value ?? props.defaultValue;
  const label = chosen ? labelOf(children, chosen) : undefined;
  return (
    <LazySelect.Provider value={{ parts: null, request, label, disabled: props.disabled }}>
      {children}
    </LazySelect.Provider>
  );
}

const OPENING_KEYS = new Set([" ", "Enter", "ArrowDown", "ArrowUp"]);

/** Before loading: a button with Radix's trigger's look, role and state, which loads and opens it. */
function SelectTrigger({
  className,
  size = "default",
  children,
  ...props
}: ComponentProps<Parts["SelectTrigger"]>) {
  const { parts, request, label, disabled } = useContext(LazySelect);
  if (parts)
    return (
      <parts.SelectTrigger className={className} size={size} {...props}>
        {children}
      </parts.SelectTrigger>
    );
  const { asChild: _asChild, onPointerDown, onKeyDown, onClick, ...rest } = props;
  return (
    <button
      {...rest}
      type="button"
      role="combobox"
      aria-expanded={false}
      aria-autocomplete="none"
      data-state="closed"
      data-slot="select-trigger"
      data-size={size}
      data-placeholder={label === undefined ? "" : undefined}
      disabled={disabled || props.disabled}
      className={cn(SELECT_TRIGGER_CLASS, className)}
      onPointerEnter={() => void load()}
      onFocus={() => void load()}
      onPointerDown={(e) => {
        onPointerDown?.(e);
        if (e.button === 0 && !e.ctrlKey) request();
      }}
      onClick={(e) => {
        onClick?.(e);
        request();
      }}
      onKeyDown={(e) => {
        onKeyDown?.(e);
        if (OPENING_KEYS.has(e.key)) {
          e.preventDefault();
          request();
        }
      }}
    >
      {children}
      <ChevronDownIcon className="size-4 opacity-50" aria-hidden />
    </button>
  );
}

function SelectValue({ placeholder, children, ...props }: ComponentProps<Parts["SelectValue"]>) {
  const { parts, label } = useContext(LazySelect);
  if (parts)
    return (
      <parts.SelectValue placeholder={placeholder} {...props}>
        {children}
      </parts.SelectValue>
    );
  return (
    <span data-slot="select-value" style={{ pointerEvents: "none" }}>
      {label === undefined ? placeholder : (children ?? label)}
    </span>
  );
}

// The parts that show only inside an open select: nothing until it has loaded.

function SelectContent(props: ComponentProps<Parts["SelectContent"]>) {
  const { parts } = useContext(LazySelect);
  return parts ? <parts.SelectContent {...props} /> : null;
}

function SelectItem(props: ComponentProps<Parts["SelectItem"]>) {
  const { parts } = useContext(LazySelect);
  return parts ? <parts.SelectItem {...props} /> : null;
}

function SelectGroup(props: ComponentProps<Parts["SelectGroup"]>) {
  const { parts } = useContext(LazySelect);
  return parts ? <parts.SelectGroup {...props} /> : null;
}

function SelectLabel(props: ComponentProps<Parts["SelectLabel"]>) {
  const { parts } = useContext(LazySelect);
  return parts ? <parts.SelectLabel {...props} /> : null;
}

function SelectSeparator(props: ComponentProps<Parts["SelectSeparator"]>) {
  const { parts } = useContext(LazySelect);
  return parts ? <parts.SelectSeparator {...props} /> : null;
}

export {
  Select,
  SelectContent,
  SelectGroup,
  SelectItem,
  SelectLabel,
  SelectSeparator,
  SelectTrigger,
  SelectValue,
};
