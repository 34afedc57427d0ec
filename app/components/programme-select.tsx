/** The "Program" picker of the report pages' filters (statistics, SCB, co-financing): submits `program`. */
export function ProgrammeSelect({ programmes, selected }: { programmes: { id: number; name: string }[]; selected: number }) {
  return (
    <div className="field">
      <label htmlFor="program">Program</label>
      <select id="program" name="program" defaultValue={selected}>
        {programmes.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
