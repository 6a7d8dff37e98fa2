import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** A file's vector, one bar per dimension. */
export default function VectorChart({ vector }: { vector: number[] }) {
  return (
    <div className="vector-chart" aria-label={`Vector of ${vector.length} dimensions`}>
      <h4>Vector ({vector.length} dimensions)</h4>
      <ResponsiveContainer width="100%" height={120}>
        <BarChart data={vector.map((value, dim) => ({ dim, value }))}>
          <XAxis dataKey="dim" hide />
          <YAxis width={40} />
          <Tooltip />
          <Bar dataKey="value" fill="#2f6fde" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
