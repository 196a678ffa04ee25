import type { SVGProps } from "react";

/*
 * A few Lucide icons (ISC licence, lucide.dev) as plain SVG for pages that must ship no client code:
 * lucide-react's icon component is a client module (it reads a React context), so one icon on a
 * server-rendered page sends its runtime to the browser. These render to markup only — the public
 * blog, the brand mark and the auth pages' frame use them. Same 24×24 grid and stroke as lucide-react.
 */
type Shape =
  | ["path", { d: string }]
  | ["circle", { cx: string; cy: string; r: string; fill?: string }]
  | ["rect", { width: string; height: string; x: string; y: string; rx: string }];

type IconProps = SVGProps<SVGSVGElement>;

function StaticSvg({ shapes, ...props }: IconProps & { shapes: Shape[] }) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={24}
      height={24}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      {...props}
    >
      {shapes.map(([tag, attrs]) => {
        const key = JSON.stringify(attrs);
        if (tag === "path") return <path key={key} {...attrs} />;
        if (tag === "circle") return <circle key={key} {...attrs} />;
        return <rect key={key} {...attrs} />;
      })}
    </svg>
  );
}

const RSS: Shape[] = [
  ["path", { d: "M4 11a9 9 0 0 1 9 9" }],
  ["path", { d: "M4 4a16 16 0 0 1 16 16" }],
  ["circle", { cx: "5", cy: "19", r: "1" }],
];
export const RssIcon = (props: IconProps) => <StaticSvg shapes={RSS} {...props} />;

const ARROWLEFT: Shape[] = [
  ["path", { d: "m12 19-7-7 7-7" }],
  ["path", { d: "M19 12H5" }],
];
export const ArrowLeftIcon = (props: IconProps) => <StaticSvg shapes={ARROWLEFT} {...props} />;

const ARROWRIGHT: Shape[] = [
  ["path", { d: "M5 12h14" }],
  ["path", { d: "m12 5 7 7-7 7" }],
];
export const ArrowRightIcon = (props: IconProps) => <StaticSvg shapes={ARROWRIGHT} {...props} />;

const NEWSPAPER: Shape[] = [
  ["path", { d: "M15 18h-5" }],
  ["path", { d: "M18 14h-8" }],
  [
    "path",
    { d: "M4 22h16a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2H8a2 2 0 0 0-2 2v16a2 2 0 0 1-4 0v-9a2 2 0 0 1 2-2h2" },
  ],
  ["rect", { width: "8", height: "4", x: "10", y: "6", rx: "1" }],
];
export const NewspaperIcon = (props: IconProps) => <StaticSvg shapes={NEWSPAPER} {...props} />;

const X: Shape[] = [
  ["path", { d: "M18 6 6 18" }],
  ["path", { d: "m6 6 12 12" }],
];
export const XIcon = (props: IconProps) => <StaticSvg shapes={X} {...props} />;

const FILEQUESTION: Shape[] = [
  [
    "path",
    {
      d: "M6 22a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h8a2.4 2.4 0 0 1 1.704.706l3.588 3.588A2.4 2.4 0 0 1 20 8v12a2 2 0 0 1-2 2z",
    },
  ],
  ["path", { d: "M9 9.5a3 2.5 0 016 0c0 2-2 2-3 3.5" }],
  ["path", { d: "M12 17h.01" }],
];
export const FileQuestionIcon = (props: IconProps) => <StaticSvg shapes={FILEQUESTION} {...props} />;

const SPROUT: Shape[] = [
  [
    "path",
    {
      d: "M14 9.536V7a4 4 0 0 1 4-4h1.5a.5.5 0 0 1 .5.5V5a4 4 0 0 1-4 4 4 4 0 0 0-4 4c0 2 1 3 1 5a5 5 0 0 1-1 3",
    },
  ],
  ["path", { d: "M4 9a5 5 0 0 1 8 4 5 5 0 0 1-8-4" }],
  ["path", { d: "M5 21h14" }],
];
export const SproutIcon = (props: IconProps) => <StaticSvg shapes={SPROUT} {...props} />;

const KEYROUND: Shape[] = [
  [
    "path",
    {
      d: "M2.586 17.414A2 2 0 0 0 2 18.828V21a1 1 0 0 0 1 1h3a1 1 0 0 0 1-1v-1a1 1 0 0 1 1-1h1a1 1 0 0 0 1-1v-1a1 1 0 0 1 1-1h.172a2 2 0 0 0 1.414-.586l.814-.814a6.5 6.5 0 1 0-4-4z",
    },
  ],
  ["circle", { cx: "16.5", cy: "7.5", r: ".5", fill: "currentColor" }],
];
export const KeyRoundIcon = (props: IconProps) => <StaticSvg shapes={KEYROUND} {...props} />;

const LOADERCIRCLE: Shape[] = [["path", { d: "M21 12a9 9 0 1 1-6.219-8.56" }]];
/** `Spinner`'s look (components/ui/spinner.tsx) as plain SVG. */
export const StaticSpinner = (props: IconProps) => (
  <StaticSvg
    shapes={LOADERCIRCLE}
    role="status"
    aria-label="Loading"
    className="size-4 animate-spin"
    {...props}
  />
);
