import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import { DEFAULT_RETENTION_MONTHS } from "~/schemas/privacy";

export const meta: MetaFunction = () => [{ title: "Så hanterar vi personuppgifter – Programportalen" }];

const years = (months: number) => (months % 12 === 0 ? `${months / 12} år` : `${months} månader`);

export default function Privacy() {
  // The page is public; only a trainee may open Mina uppgifter, so only they get the link.
  const isTrainee = useRouteLoaderData<typeof rootLoader>("root")?.user?.roles.includes("participant") ?? false;
  return (
    <div className="page">
      <h1>Så hanterar vi personuppgifter</h1>
      <p className="lead">
        Programportalen används av kommunerna för att planera och följa upp gemensamma ledarutvecklings-, trainee- och
        utbildningsprogram för sina anställda. Vi samlar in så lite som möjligt och visar varje uppgift bara för dem som behöver
        den.
      </p>

      <h2>Vem som ansvarar</h2>
      <p>
        Den kommun du är anställd i är personuppgiftsansvarig för uppgifterna om dig som deltagare. Kommunens samordnare lägger in
        och ändrar uppgifterna.
      </p>

      <h2>Vilka uppgifter vi lagrar och varför</h2>
      <ul>
        <li>
          <strong>Namn, e-postadress i tjänsten, förvaltning och befattning</strong> – för att planera programmet, sätta ihop
          omgångar och nå dig om träffar.
        </li>
        <li>
          <strong>Kön, födelseår och utbildningsnivå</strong> – för statistik till finansiären, till exempel Svenska ESF-rådet.
          Statistiken visas bara sammanställd, och små antal (1–4) döljs.
        </li>
        <li>
          <strong>Personnummer</strong> (bara om det behövs) – när ett ESF-projekt måste rapportera deltagare till SCB. Det lagras
          skilt från övriga uppgifter, visas maskerat i listor och syns i sin helhet bara för din kommuns samordnare.
        </li>
        <li>
          <strong>Lönegrupp, närvaro och tid</strong> – för att intyga att du deltagit och räkna ut kommunens medfinansiering.
        </li>
        <li>
          <strong>Anmälningar och uppföljning</strong> – vilka omgångar du deltagit i, när du började och slutade, och hur det
          gick efteråt (till exempel ny roll), eftersom ESF-projekt ska redovisa resultat.
        </li>
        <li>
          <strong>Inloggning, kalenderprenumeration, notiser och e-post</strong> – om du har en inloggning: för att du ska se
          ditt schema och få besked om ändringar. Lösenord och kalenderadresser lagras bara som kontrollsummor.
        </li>
        <li>
          <strong>Utvärderingar av träffar</strong> – för att programmet ska kunna förbättras och visa hur träffarna uppfattas.
          Svaren sparas utan koppling till dig: varken namn, tid eller ordning. Det enda som sparas om dig är att du har svarat,
          så att du inte kan svara två gånger och inte får fler påminnelser. Resultat visas först när minst 3 har svarat, och
          effektrapporten bygger aldrig på en grupp under 5 personer. Den rättsliga grunden är densamma som nedan (uppgift av
          allmänt intresse: att följa upp och förbättra kommunens kompetensutveckling).
        </li>
        <li>
          <strong>Självskattning</strong> – du skattar dig själv 1–5 mot programmets mål i början och i slutet av omgången, för
          att du ska se din egen utveckling och programmet kunna visa vad deltagarna lärt sig. Bara du ser dina skattningar;
          programmet ser bara medelvärden för grupper om minst 5 deltagare. Skattningarna finns i ditt registerutdrag och raderas
          när dina uppgifter gallras. Rättslig grund: uppgift av allmänt intresse (se nedan).
        </li>
        <li>
          <strong>360-återkoppling</strong> – för att du ska få veta hur chef, kollegor och medarbetare ser på ditt ledarskap.
          Rapporten är din: ingen annan ser den om du inte själv delar den med programmets coach eller programledare (du kan sluta dela när du vill, och
          varje gång någon annan öppnar den loggas). Bedömarnas svar sparas utan koppling till vem som svarade, och en grupp visas
          först när minst 3 har svarat. Bedömarnas e-postadresser används bara för inbjudan och en påminnelse och raderas när
          rundan stängs. Effektrapporten visar bara förändringen i medelvärden för grupper om minst 5 deltagare. Dina svar och
          rapportens underlag finns i ditt registerutdrag (utan bedömarnas identitet) och raderas när dina uppgifter gallras.
          Rättslig grund: uppgift av allmänt intresse (se nedan).
        </li>
        <li>
          <strong>Handlingsplan</strong> – dina mål, aktiviteter, stödet du vill ha från din chef och hur det går, för att du ska
          kunna följa upp din utveckling. Din chef ser planen bara om du ger hen en länk. Programmet ser bara hur många mål som
          uppnåtts, för grupper om minst 5 deltagare. Planen finns i ditt registerutdrag och raderas när dina uppgifter gallras.
          Rättslig grund: uppgift av allmänt intresse (se nedan).
        </li>
        <li>
          <strong>Händelselogg</strong> – vem som gjort vad och när, med id-nummer men utan själva personuppgifterna, för att
          kunna upptäcka fel och obehörig åtkomst.
        </li>
      </ul>

      <h2>Rättslig grund</h2>
      <p>
        Kommunen behandlar uppgifterna för att utföra en uppgift av allmänt intresse och som ett led i sin myndighetsutövning:
        kompetensutveckling av kommunens anställda (artikel 6.1 e i dataskyddsförordningen). För program som får pengar från
        Europeiska socialfonden är kommunen dessutom skyldig att redovisa deltagare och resultat till Svenska ESF-rådet och SCB
        och att spara underlagen för granskning (rättslig förpliktelse, artikel 6.1 c).
      </p>

      <h2>Vem som ser vad</h2>
      <ul>
        <li>
          <strong>Du själv</strong> ser ditt schema, din närvaro, din tid och alla uppgifter om dig under Mina uppgifter.
        </li>
        <li>
          <strong>Din kommuns samordnare</strong> ser alla uppgifter om kommunens deltagare och kan ändra dem.
        </li>
        <li>
          <strong>Andra kommuner i samma omgång</strong> ser bara ditt namn och din kommun på deltagarlistan.
        </li>
        <li>
          <strong>Programledaren</strong> ser omgångens deltagarlista och närvaron på träffarna.
        </li>
        <li>
          <strong>Finansiären</strong> ser bara sammanställd statistik, aldrig uppgifter om enskilda personer.
        </li>
        <li>
          <strong>Systemadministratören</strong> sköter användarkonton och händelseloggen.
        </li>
      </ul>

      <h2>Hur länge uppgifterna sparas</h2>
      <p>
        Varje program har en gallringsfrist. Den räknas från dagen då din sista anmälan i programmet avslutades (eller från
        slutet av den sista månad du redovisade tid i det, om det är senare).
      </p>
      <ul>
        <li>
          ESF-finansierade program: normalt {DEFAULT_RETENTION_MONTHS.esf} månader ({years(DEFAULT_RETENTION_MONTHS.esf)}),
          eftersom underlagen ska kunna granskas i efterhand.
        </li>
        <li>
          Övriga program: normalt {DEFAULT_RETENTION_MONTHS.own} månader ({years(DEFAULT_RETENTION_MONTHS.own)}).
        </li>
        <li>Programledaren kan ändra fristen för sitt program om beslutet om stöd eller kommunens dokumenthanteringsplan kräver det.</li>
      </ul>
      <p>
        När fristen har gått ut för alla program du deltagit i, och du har slutat, anonymiserar kommunens samordnare dina
        uppgifter. Då tas namn, e-postadress, förvaltning, befattning, personnummer, inloggning, notiser, e-post och fritext
        bort. Kvar blir bara det som statistiken behöver – kommun, kön, födelseår, utbildningsnivå, datum, närvarotimmar,
        attesterad tid och uppföljning – utan koppling till dig. Inloggningar avslutas automatiskt efter högst tolv timmar.
      </p>

      <h2>Dina rättigheter</h2>
      <ul>
        <li>
          <strong>Registerutdrag:</strong> du har rätt att få veta vilka uppgifter vi har om dig. Har du en inloggning hittar du
          allt under {isTrainee ? <Link to="/mina-uppgifter">Mina uppgifter</Link> : "Mina uppgifter"}, där du också kan ladda ner det som fil eller skriva ut
          det. Annars kan du be din kommuns samordnare om ett registerutdrag.
        </li>
        <li>
          <strong>Rättelse:</strong> är något fel ändrar samordnaren i din kommun det.
        </li>
        <li>
          <strong>Radering och begränsning:</strong> du kan begära att uppgifter tas bort eller inte används, när de inte längre
          behövs eller om de behandlas felaktigt. Uppgifter som kommunen måste spara för ESF-redovisningen finns kvar till
          gallringsfristen har gått ut.
        </li>
        <li>
          <strong>Invändning:</strong> du kan invända mot behandlingen; kommunen prövar då om den ändå behövs.
        </li>
      </ul>

      <h2>Kontakt</h2>
      <p>
        Har du frågor, eller vill du använda dina rättigheter? Vänd dig till samordnaren för programmet i din kommun eller till
        kommunens dataskyddsombud. Kontaktuppgifter till dataskyddsombudet finns på din kommuns webbplats och hos kommunens
        växel.
      </p>
      <p>
        Tycker du att kommunen behandlar dina uppgifter fel kan du klaga hos Integritetsskyddsmyndigheten (IMY),{" "}
        <a href="https://www.imy.se">www.imy.se</a>.
      </p>
    </div>
  );
}
