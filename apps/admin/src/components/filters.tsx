'use client';

import { useEffect, useState } from 'react';
import { Button, Input, Select } from './ui';

export interface FilterDef {
  name: string;
  label: string;
  options?: string[];
}

/** Facet filters bound to the URL: applying them changes the query string (the URL is the state). */
export function FilterBar({
  defs,
  params,
  onApply,
}: {
  defs: FilterDef[];
  params: URLSearchParams;
  onApply: (values: Record<string, string | null>) => void;
}) {
  const initial = Object.fromEntries(defs.map((d) => [d.name, params.get(d.name) ?? '']));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const key = params.toString();
  useEffect(() => {
    setValues(Object.fromEntries(defs.map((d) => [d.name, new URLSearchParams(key).get(d.name) ?? ''])));
  }, [key]); // only when the URL changes: typing must not be reset
  return (
    <form
      className="mb-4 flex flex-wrap items-end gap-3"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply({ ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() || null])), cursor: null, open: null });
      }}
    >
      {defs.map((d) => (
        <div key={d.name} className="flex flex-col gap-1">
          <label htmlFor={`filter-${d.name}`} className="text-xs font-medium">
            {d.label}
          </label>
          {d.options ? (
            <Select
              id={`filter-${d.name}`}
              value={values[d.name] ?? ''}
              onChange={(e) => setValues({ ...values, [d.name]: e.target.value })}
            >
              <option value="">Any</option>
              {d.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </Select>
          ) : (
            <Input
              id={`filter-${d.name}`}
              className="w-48"
              value={values[d.name] ?? ''}
              onChange={(e) => setValues({ ...values, [d.name]: e.target.value })}
            />
          )}
        </div>
      ))}
      <Button type="submit">Apply filters</Button>
      <Button
        variant="secondary"
        onClick={() => onApply({ ...Object.fromEntries(defs.map((d) => [d.name, null])), cursor: null, open: null })}
      >
        Clear filters
      </Button>
    </form>
  );
}
