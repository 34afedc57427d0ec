import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Så hanterar vi personuppgifter – Programportalen" }];

export default function Privacy() {
  return (
    <div className="page">
      <h1>Så hanterar vi personuppgifter</h1>
      <p className="lead">
        Programportalen används för att planera och följa upp kommunernas gemensamma utbildningsprogram. Vi samlar in så
        lite som möjligt och visar varje uppgift bara för dem som behöver den.
      </p>

      <h2>Vilka uppgifter vi lagrar och varför</h2>
      <ul>
        <li>
          <strong>Namn, e-postadress i tjänsten, förvaltning och befattning</strong> – för att planera programmet och nå
          dig om träffar.
        </li>
        <li>
          <strong>Kön, födelseår och utbildningsnivå</strong> – för att redovisa statistik till finansiären (till exempel
          ESF-rådet). Statistiken visas bara sammanställd, och små antal döljs.
        </li>
        <li>
          <strong>Personnummer</strong> (frivilligt) – bara när ett ESF-projekt måste rapportera deltagare till SCB. Det
          visas maskerat och syns i sin helhet bara för din kommuns samordnare.
        </li>
        <li>
          <strong>Närvaro och tid</strong> – för att intyga deltagandet och redovisa medfinansiering.
        </li>
        <li>
          <strong>Loggar</strong> – vem som ändrat vad och när, utan själva personuppgifterna, för att kunna följa upp fel
          och obehörig åtkomst.
        </li>
      </ul>

      <h2>Vem som ser vad</h2>
      <p>
        Din kommuns samordnare ser och ändrar uppgifterna om kommunens deltagare. Andra kommuner i samma omgång ser bara
        ditt namn och din kommun. Programledaren ser omgångens deltagarlista och närvaro. Finansiärer ser bara statistik.
      </p>

      <h2>Hur länge uppgifterna sparas</h2>
      <p>
        Uppgifterna sparas under programmet och så länge finansiären kräver att de kan granskas (för ESF-projekt normalt
        till och med den tid som anges i beslutet om stöd). Därefter anonymiseras de: statistiken finns kvar men kan inte
        kopplas till dig.
      </p>

      <h2>Dina rättigheter</h2>
      <p>
        Du har rätt att få veta vilka uppgifter vi har om dig (registerutdrag), att få felaktiga uppgifter rättade och att
        få dem raderade när de inte längre behövs. Kontakta samordnaren i din kommun, eller kommunens dataskyddsombud.
      </p>
    </div>
  );
}
