"use client";

import {
  type ComponentProps,
  cloneElement,
  createContext,
  isValidElement,
  type MouseEvent,
  type ReactElement,
  useContext,
  useState,
} from "react";

/*
 * Dropdown menus that pages show closed — the dashboard header's (account, workspace switcher,
 * notifications) and the content list's — with the same parts as components/ui/dropdown-menu.tsx,
 * but the menu library (Radix's menu, its positioning and focus code) loads on the first click of a
 * trigger instead of with every page (issue 15, page weight). Until then the trigger is the plain button and the other parts render nothing (a closed
 * menu shows nothing anyway); once loaded, the real menu takes over, opened.
 */
type Menu = typeof import("./dropdown-menu");

const load = () => import("./dropdown-menu");
let loaded: Menu | null = null;

const LazyMenu = createContext<{ menu: Menu | null; open: () => void }>({ menu: null, open: () => {} });

function DropdownMenu({ open, onOpenChange, defaultOpen, ...props }: ComponentProps<Menu["DropdownMenu"]>) {
  const [menu, setMenu] = useState<Menu | null>(loaded);
  const [openOnLoad, setOpenOnLoad] = useState(false);
  const request = () => {
    void load().then((m) => {
      loaded = m;
      setOpenOnLoad(true);
      setMenu(m);
      // A controlled menu opens through its owner's state.
      if (open !== undefined) onOpenChange?.(true);
    });
  };
  if (!menu)
    return <LazyMenu.Provider value={{ menu: null, open: request }}>{props.children}</LazyMenu.Provider>;
  return (
    <LazyMenu.Provider value={{ menu, open: request }}>
      <menu.DropdownMenu
        open={open}
        onOpenChange={onOpenChange}
        defaultOpen={defaultOpen ?? openOnLoad}
        {...props}
      />
    </LazyMenu.Provider>
  );
}

/** Before the menu loads: the trigger's own button (asChild), which loads and opens it on click. */
function DropdownMenuTrigger(props: ComponentProps<Menu["DropdownMenuTrigger"]>) {
  const { menu, open } = useContext(LazyMenu);
  if (menu) return <menu.DropdownMenuTrigger {...props} />;
  const child = props.children;
  if (!props.asChild || !isValidElement(child)) return <>{child}</>;
  const element = child as ReactElement<{ onClick?: (e: MouseEvent) => void }>;
  return cloneElement(element, {
    "aria-haspopup": "menu",
    "aria-expanded": false,
    "data-state": "closed",
    onPointerEnter: () => void load(),
    onClick: (e: MouseEvent) => {
      element.props.onClick?.(e);
      open();
    },
  } as Record<string, unknown>);
}

// The parts that show only inside an open menu: nothing until the menu has loaded.

function DropdownMenuContent(props: ComponentProps<Menu["DropdownMenuContent"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuContent {...props} /> : null;
}

function DropdownMenuItem(props: ComponentProps<Menu["DropdownMenuItem"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuItem {...props} /> : null;
}

function DropdownMenuLabel(props: ComponentProps<Menu["DropdownMenuLabel"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuLabel {...props} /> : null;
}

function DropdownMenuSeparator(props: ComponentProps<Menu["DropdownMenuSeparator"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuSeparator {...props} /> : null;
}

function DropdownMenuSub(props: ComponentProps<Menu["DropdownMenuSub"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuSub {...props} /> : null;
}

function DropdownMenuSubTrigger(props: ComponentProps<Menu["DropdownMenuSubTrigger"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuSubTrigger {...props} /> : null;
}

function DropdownMenuSubContent(props: ComponentProps<Menu["DropdownMenuSubContent"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuSubContent {...props} /> : null;
}

function DropdownMenuRadioGroup(props: ComponentProps<Menu["DropdownMenuRadioGroup"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuRadioGroup {...props} /> : null;
}

function DropdownMenuRadioItem(props: ComponentProps<Menu["DropdownMenuRadioItem"]>) {
  const { menu } = useContext(LazyMenu);
  return menu ? <menu.DropdownMenuRadioItem {...props} /> : null;
}

export {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuSub,
  DropdownMenuSubContent,
  DropdownMenuSubTrigger,
  DropdownMenuTrigger,
};
