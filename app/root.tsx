import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { findUserContext } from "~/auth/session.server";
import { useNonce } from "~/components/nonce";
import { navFor } from "~/ui/navigation";
import { roleLabels } from "~/ui/roles";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await findUserContext(request, context);
  if (!ctx) return { user: null };
  const roles = [...new Set(ctx.grants.map((g) => g.role))];
  return {
    user: { name: ctx.user.name, roles, roleNames: roles.map((r) => roleLabels[r]) },
  };
}

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Hoppa till innehållet
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          Programportalen
        </Link>
        {user ? (
          <div className="user-box">
            <Link to="/konto" className="user-box__name">
              {user.name}
              <span className="user-box__roles"> · {user.roleNames.join(", ")}</span>
            </Link>
            <Form method="post" action="/logout">
              <button type="submit" className="button button--quiet">
                Logga ut
              </button>
            </Form>
          </div>
        ) : null}
      </div>
      {user ? (
        <nav aria-label="Huvudmeny" className="main-nav">
          <ul>
            {navFor(user.roles).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/"} prefetch="intent">
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

function Footer() {
  return (
    <footer className="site-footer">
      <p>Programportalen – samordning av kommunernas gemensamma program</p>
      <ul>
        <li>
          <Link to="/tillganglighet">Tillgänglighetsredogörelse</Link>
        </li>
        <li>
          <Link to="/integritet">Så hanterar vi personuppgifter</Link>
        </li>
      </ul>
    </footer>
  );
}

/**
 * After a client-side page change, focus moves to the new page's content so
 * screen readers announce it and keyboard users start from the top of it.
 */
function useFocusMainOnNavigation() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById("main")?.focus();
  }, [pathname]);
}

export default function App() {
  useLoaderData<typeof loader>();
  useFocusMainOnNavigation();
  return (
    <Document>
      <Header />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
    </Document>
  );
}

const errorTexts: Record<number, { title: string; body: string }> = {
  400: { title: "Något i förfrågan var fel", body: "Kontrollera det du skickade och försök igen." },
  403: { title: "Åtkomst nekad", body: "Du har inte behörighet till den här sidan." },
  404: { title: "Sidan finns inte", body: "Sidan du söker finns inte, eller så har du inte tillgång till den." },
  413: { title: "För mycket på en gång", body: "Det du skickade är för stort." },
  415: { title: "Fel format", body: "Det du skickade har ett format som portalen inte tar emot." },
  429: { title: "För många försök", body: "Vänta en stund och försök igen." },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const base = errorTexts[status];
  // A 4xx thrown by the app carries a Swedish explanation: show it rather than the general one.
  const specific = isRouteErrorResponse(error) && status < 500 && typeof error.data === "string" && error.data ? error.data : null;
  const text = (base && { title: base.title, body: specific ?? base.body }) ?? {
    title: "Något gick fel",
    body: "Ett oväntat fel inträffade. Försök igen om en stund. Om felet kvarstår, kontakta din systemadministratör.",
  };
  return (
    <Document>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            Programportalen
          </Link>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <div className="page">
          <h1>{text.title}</h1>
          <p>{text.body}</p>
          <p>
            <Link to="/">Till startsidan</Link>
          </p>
        </div>
      </main>
      <Footer />
    </Document>
  );
}
