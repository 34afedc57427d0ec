import { expect, test } from "./fixtures";

// Numbers in Skatteverket's test range (birth numbers 980–999), never a real person's.
const TEST_PERSONNUMMER = "19900606-9851";

test("the Hultsfred coordinator adds a participant and finds her in the list", async ({ coordinatorPage: page, testData }) => {
  // A surname and address of this test's own, so the search below finds her alone, however often it runs.
  const lastName = `Provström${testData.suffix()}`;
  await page.goto("/");
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Deltagare" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Deltagare" })).toBeVisible();
  await page.getByRole("link", { name: "Lägg till deltagare" }).click();

  await page.getByLabel("Förnamn").fill("Ebba");
  await page.getByLabel("Efternamn").fill(lastName);
  await page.getByLabel("E-postadress i tjänsten").fill(`ebba.${testData.tag}@hultsfred.example`);
  await page.getByLabel("Förvaltning").fill("Vård- och omsorgsförvaltningen");
  await page.getByLabel("Befattning (frivilligt)").fill("Enhetschef");
  await page.getByLabel("Kön").selectOption({ label: "Kvinna" });
  await page.getByLabel("Födelseår").fill("1990");
  const personnummer = page.getByLabel("Personnummer (frivilligt)");
  await personnummer.fill("19900606-9852");
  await page.getByLabel("Lönegrupp").fill("2");
  await page.getByRole("button", { name: "Spara deltagare" }).click();

  // The wrong check digit is explained next to the field, and nothing is saved yet.
  await expect(personnummer).toHaveAttribute("aria-invalid", "true");
  await expect(personnummer).toHaveAccessibleDescription(/Personnumret har fel kontrollsiffra\./);
  await expect(page).toHaveURL(/\/deltagare\/ny$/);

  await personnummer.fill(TEST_PERSONNUMMER);
  await expect(personnummer).not.toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: "Spara deltagare" }).click();

  await expect(page.getByRole("heading", { level: 1, name: `Ebba ${lastName}` })).toBeVisible();
  await expect(page.getByText("Deltagaren är sparad.")).toBeVisible();
  await expect(page.getByText("19900606-****")).toBeVisible();
  await expect(page.getByText(TEST_PERSONNUMMER)).toHaveCount(0);

  await page.getByRole("link", { name: "Deltagare", exact: true }).first().click();
  await page.getByLabel("Sök namn, e-post eller förvaltning").fill(lastName.toLowerCase());
  await page.getByRole("button", { name: "Sök" }).click();
  const row = page.getByRole("row", { name: `${lastName}, Ebba` });
  await expect(row).toBeVisible();
  await expect(row).toContainText("19900606-****");
  await expect(row).toContainText("Aktiv");
});

test("the Hultsfred coordinator imports participants from a CSV file", async ({ coordinatorPage: page, testData }) => {
  // Addresses and a surname of this test's own: a second run adds two new participants again.
  const lastName = `Importsson${testData.suffix()}`;
  await page.goto("/deltagare/import");
  await expect(page.getByRole("heading", { level: 1, name: "Läs in deltagare från fil" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Ladda ner en mall (CSV)" })).toHaveAttribute("href", "/deltagare/import/mall.csv");

  const header = "Förnamn;Efternamn;E-post;Förvaltning;Befattning;Kön;Födelseår;Personnummer;Utbildningsnivå;Lönegrupp";
  const good = [
    `Mira;${lastName};mira.${testData.tag}@hultsfred.example;Socialförvaltningen;Handläggare;kvinna;1988;19881010-9895;ISCED 5-8;2`,
    `Olle;${lastName};olle.${testData.tag}@hultsfred.example;Kommunledningsförvaltningen;;man;1979;;ISCED 3-4;1`,
  ];
  const upload = (rows: string[]) =>
    page.getByLabel("CSV-fil").setInputFiles({ name: "deltagare.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${[header, ...rows].join("\r\n")}\r\n`) });

  await upload([good[0], good[1].replace("1979", "nittio")]);
  await page.getByRole("button", { name: "Läs in" }).click();
  await expect(page.getByText("1 rad har fel. Ingenting har lästs in")).toBeVisible();
  const bad = page.getByRole("row", { name: /^3 / });
  await expect(bad).toContainText("Födelseår: Fyll i födelseår med fyra siffror, till exempel 1985.");

  await upload(good);
  await page.getByRole("button", { name: "Läs in" }).click();
  await expect(page.getByText("Filen är inläst: 2 nya, 0 uppdaterade och 0 oförändrade deltagare.")).toBeVisible();

  await page.goto(`/deltagare?q=${encodeURIComponent(lastName)}`);
  await expect(page.getByRole("row", { name: new RegExp(`${lastName}, Mira`) })).toContainText("19881010-****");
  await expect(page.getByRole("row", { name: new RegExp(`${lastName}, Olle`) })).toBeVisible();
});
