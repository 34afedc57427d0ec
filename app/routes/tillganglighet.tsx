import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Tillgänglighetsredogörelse – Programportalen" }];

export default function AccessibilityStatement() {
  return (
    <div className="page">
      <h1>Tillgänglighetsredogörelse</h1>
      <p className="lead">
        Programportalen drivs av kommunerna i samarbetet. Vi vill att så många som möjligt ska kunna använda tjänsten.
        Här beskriver vi hur den uppfyller lagen om tillgänglighet till digital offentlig service (DOS-lagen), kända
        brister och hur du kan rapportera problem.
      </p>

      <h2>Hur tillgänglig är tjänsten?</h2>
      <p>
        Tjänsten är <strong>delvis förenlig</strong> med WCAG 2.1 på nivå AA, på grund av de brister som beskrivs nedan.
      </p>

      <h2>Innehåll som inte är tillgängligt</h2>
      <ul>
        <li>Nedladdade CSV-filer saknar beskrivande rubriker utöver kolumnnamnen.</li>
        <li>Tjänsten är ännu inte granskad av en extern part; den senaste bedömningen är vår egen.</li>
      </ul>

      <h2>Hur vi har testat tjänsten</h2>
      <p>
        Vi har gjort en egen granskning: automatiska tester med axe-core mot WCAG 2.1 A och AA för varje sida och roll,
        tester där sidorna används med enbart tangentbord, samt manuell kontroll i mobil- och datorstorlek.
        Bedömningen gjordes senast den 26 november 2026. Redogörelsen uppdaterades senast den 26 november 2026.
      </p>

      <h2>Rapportera brister</h2>
      <p>
        Om du upptäcker problem som inte beskrivs här, eller behöver innehåll i ett annat format, kontakta oss på{" "}
        <a href="mailto:tillganglighet@programportalen.test">tillganglighet@programportalen.test</a>. Vi svarar inom fem
        arbetsdagar.
      </p>

      <h2>Tillsyn</h2>
      <p>
        Myndigheten för digital förvaltning (DIGG) ansvarar för tillsynen av lagen. Om du inte är nöjd med hur vi hanterar
        dina synpunkter kan du{" "}
        <a href="https://www.digg.se/tdosanmalan">kontakta DIGG och påtala bristande tillgänglighet</a>.
      </p>
    </div>
  );
}
