import { fileSizeLabel, materialText, materialTypeLabel } from "~/ui/material";

interface Item {
  id: number;
  kind: "link" | "file";
  title: string;
  url: string | null;
  contentType: string | null;
  sizeBytes: number | null;
}

/** A session's material: files open or download from the portal, links leave it (and say so). */
export function MaterialList({ items, children }: { items: Item[]; children?: (item: Item) => React.ReactNode }) {
  if (!items.length) return <p className="muted">{materialText.none}</p>;
  return (
    <ul className="plain-list material-list">
      {items.map((item) => (
        <li key={item.id}>
          {item.kind === "link" && item.url ? (
            <>
              <a href={item.url} rel="noopener noreferrer" target="_blank">
                {item.title}
                <span className="visually-hidden"> ({materialText.external}, öppnas i ny flik)</span>
              </a>{" "}
              <span className="muted" aria-hidden="true">
                ({materialText.external})
              </span>
            </>
          ) : (
            <>
              <a href={`/material/${item.id}`}>{item.title}</a>{" "}
              <span className="muted">
                ({materialTypeLabel(item.contentType)}, {fileSizeLabel(item.sizeBytes)})
              </span>
            </>
          )}
          {children ? children(item) : null}
        </li>
      ))}
    </ul>
  );
}
