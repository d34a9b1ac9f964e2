<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>Config</name>
    <message>
        <source>The data distribution p_data the generator must learn. Drag its mode markers in the field.</source>
        <translation>Распределение реальных данных p_data, которое должен выучить генератор. Маркеры его мод можно перетаскивать в поле.</translation>
    </message>
    <message>
        <source>Spread (standard deviation) of every mode of p_data. Narrow modes are harder to cover.</source>
        <translation>Разброс (стандартное отклонение) каждой моды p_data. Узкие моды покрыть труднее.</translation>
    </message>
    <message>
        <source>CSV of x,y rows when preset = &apos;points&apos;</source>
        <translation>CSV-файл со строками x,y, когда preset = &apos;points&apos;</translation>
    </message>
    <message>
        <source>Hidden layers of G (reset).</source>
        <translation>Число скрытых слоёв G (сброс).</translation>
    </message>
    <message>
        <source>Units per hidden layer of G (reset).</source>
        <translation>Число нейронов в скрытом слое G (сброс).</translation>
    </message>
    <message>
        <source>Non-linearity of G&apos;s hidden layers (reset).</source>
        <translation>Нелинейность скрытых слоёв G (сброс).</translation>
    </message>
    <message>
        <source>Hidden layers of D. Changing it builds new networks (reset).</source>
        <translation>Число скрытых слоёв D. Изменение создаёт новые сети (сброс).</translation>
    </message>
    <message>
        <source>Units per hidden layer of D. Changing it builds new networks (reset).</source>
        <translation>Число нейронов в скрытом слое D. Изменение создаёт новые сети (сброс).</translation>
    </message>
    <message>
        <source>Non-linearity of D&apos;s hidden layers (reset).</source>
        <translation>Нелинейность скрытых слоёв D (сброс).</translation>
    </message>
    <message>
        <source>Optimizer of G.</source>
        <translation>Оптимизатор G.</translation>
    </message>
    <message>
        <source>Learning rate of the generator: how far G moves each step.</source>
        <translation>Скорость обучения генератора: насколько G смещается за один шаг.</translation>
    </message>
    <message>
        <source>Adam momentum of G.</source>
        <translation>Момент Adam для G.</translation>
    </message>
    <message>
        <source>Adam beta2</source>
        <translation>Параметр beta2 оптимизатора Adam</translation>
    </message>
    <message>
        <source>Optimizer of D (Adam adapts per parameter; SGD is the plain gradient step).</source>
        <translation>Оптимизатор D (Adam подстраивает шаг для каждого параметра; SGD — обычный шаг градиентного спуска).</translation>
    </message>
    <message>
        <source>Learning rate of the discriminator: how far D moves toward D* each step.</source>
        <translation>Скорость обучения дискриминатора: насколько D продвигается к D* за один шаг.</translation>
    </message>
    <message>
        <source>Adam momentum of D. 0.5 is the usual GAN choice; 0 for WGAN-GP.</source>
        <translation>Момент Adam для D. Обычно для GAN берут 0,5; для WGAN-GP — 0.</translation>
    </message>
    <message>
        <source>Dimension of the noise z ~ p_z fed to G. 1 or 2 lets you see G&apos;s manifold (reset).</source>
        <translation>Размерность шума (латентного вектора) z ~ p_z на входе G. При 1 или 2 видно многообразие генератора (сброс).</translation>
    </message>
    <message>
        <source>p_z: standard normal or uniform on [-1, 1]. Applies at once.</source>
        <translation>p_z: стандартное нормальное или равномерное на [-1, 1]. Действует сразу.</translation>
    </message>
    <message>
        <source>The pair of losses (L_D, L_G).
minimax: L_G = log(1 - D(G(z))), formula (9): saturates.
non-saturating: L_G = -log D(G(z)), formula (7).
lsgan: least squares.
wgan-gp: Wasserstein critic with gradient penalty.
hinge: margin loss.</source>
        <translation>Пара функций потерь (L_D, L_G).
minimax: L_G = log(1 - D(G(z))), формула (9): насыщается.
non-saturating (ненасыщающая): L_G = -log D(G(z)), формула (7).
lsgan: метод наименьших квадратов.
wgan-gp: критик Вассерштейна со штрафом на градиент.
hinge: кусочно-линейная функция потерь с зазором.</translation>
    </message>
    <message>
        <source>k: discriminator steps per iteration (Algorithm 1 of the GAN paper). More k brings D closer to D*.</source>
        <translation>k: число шагов дискриминатора за итерацию (алгоритм 1 статьи о GAN). Чем больше k, тем ближе D к D*.</translation>
    </message>
    <message>
        <source>Generator steps per iteration.</source>
        <translation>Число шагов генератора за итерацию.</translation>
    </message>
    <message>
        <source>Real and generated samples per step (the minibatch m of Algorithm 1).</source>
        <translation>Число реальных и сгенерированных точек за шаг (минибатч m из алгоритма 1).</translation>
    </message>
    <message>
        <source>Weight of the WGAN-GP gradient penalty (only used by wgan-gp).</source>
        <translation>Вес штрафа на градиент в WGAN-GP (используется только функцией потерь wgan-gp).</translation>
    </message>
    <message>
        <source>R1 penalty: discourages D&apos;s gradient on real data; stabilises training. 0 = off.</source>
        <translation>Штраф R1: подавляет градиент D на реальных данных и стабилизирует обучение. 0 — выключен.</translation>
    </message>
    <message>
        <source>Random seed used at the next reset: the same seed and settings give the same run.</source>
        <translation>Сид (seed) генератора случайных чисел для следующего сброса: один и тот же сид и те же настройки дают один и тот же запуск.</translation>
    </message>
    <message>
        <source>Where training runs: auto uses a CUDA GPU when there is one and the networks and batch are large enough to gain from it; small ones train faster on the CPU (reset).</source>
        <translation>Где идёт обучение: auto выбирает GPU с CUDA, если он есть и сети с размером пакета достаточно велики, чтобы он дал выигрыш; маленькие сети быстрее обучаются на CPU (сброс).</translation>
    </message>
    <message>
        <source>CPU threads for torch (1 is fastest for small nets)</source>
        <translation>Потоки процессора для torch (для маленьких сетей быстрее всего 1)</translation>
    </message>
    <message>
        <source>Oracle D: G trains against the optimal D* = p_data / (p_data + p_g) of its current samples, as in the paper&apos;s derivation (D maximised before every G step), not against the network D. The D steps still train the network D, which the views show. Needs minimax, non-saturating or lsgan.</source>
        <translation>Оракул D: G обучается против оптимального D* = p_data / (p_data + p_g) для своей текущей выборки, как в выводе статьи (D максимизируется перед каждым шагом G), а не против сети D. Шаги D по-прежнему обучают сеть D, которую и показывают виды. Нужен minimax, non-saturating или lsgan.</translation>
    </message>
    <message>
        <source>Generated and real points drawn in the field and used for p_g, JSD and coverage.</source>
        <translation>Сгенерированные и реальные точки, которые рисуются в поле и по которым оцениваются p_g, JSD и покрытие мод.</translation>
    </message>
    <message>
        <source>grid cells per axis for D, D*, JSD (0 = choose from the target)</source>
        <translation>Ячеек сетки по каждой оси для D, D*, JSD (0 — выбрать по целевому распределению)</translation>
    </message>
    <message>
        <source>KDE bandwidth h for p_g (0 = choose from the target)</source>
        <translation>Ширина окна KDE h для p_g (0 — выбрать по целевому распределению)</translation>
    </message>
    <message>
        <source>iterations between metric rows in headless runs</source>
        <translation>Итераций между строками метрик в запусках без окна</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>Target</source>
        <translation>Целевое распределение</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Шаблон</translation>
    </message>
    <message>
        <source>Mode std</source>
        <translation>σ моды</translation>
    </message>
    <message>
        <source>Load points from CSV…</source>
        <translation>Загрузить точки из CSV…</translation>
    </message>
    <message>
        <source>Make the target a mixture of small Gaussians at the x,y rows of a CSV file.</source>
        <translation>Сделать целевым распределением смесь узких гауссиан в точках x,y из строк CSV-файла.</translation>
    </message>
    <message>
        <source>Drag a mode; double-click adds one; right-click removes or resizes; wheel over a mode changes its spread.</source>
        <translation>Перетащите моду; двойной щелчок добавляет моду; правый щелчок удаляет её или меняет размер; колесо над модой меняет её разброс.</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Функция потерь</translation>
    </message>
    <message>
        <source>GP λ</source>
        <translation>GP λ</translation>
    </message>
    <message>
        <source>R1 γ</source>
        <translation>R1 γ</translation>
    </message>
    <message>
        <source>Oracle D (G plays against D*)</source>
        <translation>Оракул D (G играет против D*)</translation>
    </message>
    <message>
        <source>Discriminator</source>
        <translation>Дискриминатор</translation>
    </message>
    <message>
        <source>Generator</source>
        <translation>Генератор</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Скорость обучения</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Оптимизатор</translation>
    </message>
    <message>
        <source>Adam β1</source>
        <translation>β1 (Adam)</translation>
    </message>
    <message>
        <source>Steps per iteration</source>
        <translation>Шагов за итерацию</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>Скрытых слоёв</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Нейронов в слое</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Функция активации</translation>
    </message>
    <message>
        <source>Noise dim</source>
        <translation>Размерность шума</translation>
    </message>
    <message>
        <source>Noise p_z</source>
        <translation>Шум p_z</translation>
    </message>
    <message>
        <source>Freeze (no updates)</source>
        <translation>Заморозить (без обновлений)</translation>
    </message>
    <message>
        <source>Stop updating this network. Freeze G and train D to watch D approach D* and V(G, D) approach -log 4 + 2 JSD.</source>
        <translation>Перестать обновлять эту сеть. Заморозьте G и обучайте D: D приближается к оптимальному дискриминатору D*, а функция ценности V(G, D) — к -log 4 + 2 JSD.</translation>
    </message>
    <message>
        <source>Set D to D*</source>
        <translation>Сделать D равным D*</translation>
    </message>
    <message>
        <source>Fit the network D to the optimal D* = p_data / (p_data + p_g) of the current G (the paper&apos;s Figure 1, panel b). G and the iteration do not change. Only for losses with a closed-form D*.</source>
        <translation>Подогнать сеть D под оптимальный D* = p_data / (p_data + p_g) для текущего G (рис. 1 статьи, панель b). G и итерация не меняются. Только для функций потерь с D* в замкнутом виде.</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Размер минибатча</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Сид (seed)</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Устройство</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Отображение</translation>
    </message>
    <message>
        <source>Samples shown</source>
        <translation>Показано точек</translation>
    </message>
    <message>
        <source>D(x) heatmap</source>
        <translation>Тепловая карта D(x)</translation>
    </message>
    <message>
        <source>Colour the field by the discriminator&apos;s D(x).</source>
        <translation>Раскрасить поле по выходу дискриминатора D(x).</translation>
    </message>
    <message>
        <source>Real samples</source>
        <translation>Реальные данные</translation>
    </message>
    <message>
        <source>Points drawn from p_data.</source>
        <translation>Точки, выбранные из p_data.</translation>
    </message>
    <message>
        <source>Generated samples</source>
        <translation>Сгенерированные данные</translation>
    </message>
    <message>
        <source>Points G(z) for a fixed batch of noise z.</source>
        <translation>Точки G(z) для фиксированного набора шума z.</translation>
    </message>
    <message>
        <source>Generator gradients</source>
        <translation>Градиенты генератора</translation>
    </message>
    <message>
        <source>Arrows: the direction the generator&apos;s loss pushes each generated point (-dL_G/dx).</source>
        <translation>Стрелки: куда функция потерь генератора толкает каждую сгенерированную точку (-dL_G/dx).</translation>
    </message>
    <message>
        <source>Generator manifold</source>
        <translation>Многообразие генератора</translation>
    </message>
    <message>
        <source>The noise grid mapped through G (noise dim 1 or 2): how G folds the noise space.</source>
        <translation>Сетка в пространстве шума, отображённая генератором G (размерность шума 1 или 2): как G сворачивает пространство шума.</translation>
    </message>
    <message>
        <source>Allowed: {0:g} … {1:g}</source>
        <translation>Допустимо: {0:g} … {1:g}</translation>
    </message>
    <message>
        <source>preset</source>
        <translation>как в шаблоне</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>The discriminator&apos;s and the generator&apos;s losses per iteration. For minimax and non-saturating losses L_D = log 4 at the equilibrium D = 1/2.</source>
        <translation>Функции потерь дискриминатора и генератора на каждой итерации. Для минимаксной и ненасыщающей функций потерь в равновесии D = 1/2 L_D = log 4.</translation>
    </message>
    <message>
        <source>Share of the target&apos;s modes with generated samples near them (mode collapse drops it), and the share of generated samples within 3 std of some mode.</source>
        <translation>Доля мод целевого распределения, рядом с которыми есть сгенерированные точки (при модальном коллапсе она падает), и доля сгенерированных точек в пределах 3σ от какой-либо моды.</translation>
    </message>
    <message>
        <source>KL(p_data || p_g) grows when modes are missed (mode dropping); KL(p_g || p_data) grows when samples fall where there is no data. JSD mixes both. Log scale, nats.</source>
        <translation>KL(p_data || p_g) растёт, когда моды пропущены (выпадение мод); KL(p_g || p_data) растёт, когда точки попадают туда, где нет данных. JSD сочетает оба. Логарифмическая шкала, наты.</translation>
    </message>
    <message>
        <source>Norm of the generator&apos;s gradient (log scale): it vanishes when D is too good with the minimax loss.</source>
        <translation>Норма градиента генератора (логарифмическая шкала): при минимаксной функции потерь и слишком сильном D градиенты исчезают.</translation>
    </message>
    <message>
        <source>modes captured</source>
        <translation>покрыто мод</translation>
    </message>
    <message>
        <source>iteration</source>
        <translation>итерация</translation>
    </message>
    <message>
        <source>0: p_g = p_data</source>
        <translation>0: p_g = p_data</translation>
    </message>
    <message>
        <source>log 2 = max</source>
        <translation>log 2 = максимум</translation>
    </message>
    <message>
        <source>−log 4 = equilibrium</source>
        <translation>−log 4 = равновесие</translation>
    </message>
    <message>
        <source>log 4 = equilibrium</source>
        <translation>log 4 = равновесие</translation>
    </message>
    <message>
        <source>all modes</source>
        <translation>все моды</translation>
    </message>
    <message>
        <source>Jensen-Shannon divergence between p_data and p_g in nats (left axis): 0 when p_g = p_data, at most log 2. It is the JSD of the densities smoothed with the KDE kernel, a lower bound of the true one. W1 (right axis): the Wasserstein-1 (earth mover&apos;s) distance between 128 real and 128 generated samples, about once a second. Drag a mode far away: the JSD stays at log 2 while W1 keeps growing.</source>
        <translation>Дивергенция Йенсена — Шеннона между p_data и p_g в натах (левая ось): 0 при p_g = p_data, не больше log 2. Это JSD плотностей, сглаженных ядром KDE, — нижняя оценка истинной. W1 (правая ось): расстояние Вассерштейна-1 (расстояние землекопа) между 128 реальными и 128 сгенерированными точками, примерно раз в секунду. Оттащите моду подальше: JSD остаётся на log 2, а W1 продолжает расти.</translation>
    </message>
    <message>
        <source>V(G, D) for the trained D (solid), the mean of log D(x) over real samples plus the mean of log(1 - D(G(z))) over generated ones, against V(G, D*) = -log 4 + 2 JSD (dashed; Goodfellow et al. 2014, Theorem 1) of the smoothed densities. They meet when D is optimal for the current G (up to the smoothing, which lowers V(G, D*)).</source>
        <translation>V(G, D) для обученного D (сплошная): среднее log D(x) по реальным точкам плюс среднее log(1 - D(G(z))) по сгенерированным, в сравнении с V(G, D*) = -log 4 + 2 JSD (пунктир; Goodfellow et al. 2014, теорема 1) для сглаженных плотностей. Они совпадают, когда D оптимален для текущего G (с точностью до сглаживания, которое понижает V(G, D*)).</translation>
    </message>
    <message>
        <source>losses</source>
        <translation>функции потерь</translation>
    </message>
    <message>
        <source>JSD(p_data ‖ p_g), nats</source>
        <translation>JSD(p_data ‖ p_g), наты</translation>
    </message>
    <message>
        <source>high-quality samples</source>
        <translation>качественные точки</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>качество</translation>
    </message>
    <message>
        <source>generator gradient norm ‖∇θ_G L_G‖</source>
        <translation>норма градиента генератора ‖∇θ_G L_G‖</translation>
    </message>
    <message>
        <source>modes {0}</source>
        <translation>моды {0}</translation>
    </message>
    <message>
        <source>modes</source>
        <translation>моды</translation>
    </message>
    <message>
        <source>modes captured {0}/{1}</source>
        <translation>покрыто мод {0}/{1}</translation>
    </message>
    <message>
        <source>gaps: KL = ∞</source>
        <translation>пропуски: KL = ∞</translation>
    </message>
    <message>
        <source>Gaps: at those iterations a KL is infinite (p_g has no mass where p_data has some, or the reverse) or was not computed; a log axis cannot show it.</source>
        <translation>Пропуски: на этих итерациях KL бесконечна (у p_g нет массы там, где она есть у p_data, или наоборот) или не вычислялась; на логарифмической оси такое значение не показать.</translation>
    </message>
    <message>
        <source>gaps: norm = 0</source>
        <translation>пропуски: норма = 0</translation>
    </message>
    <message>
        <source>Gaps: at those iterations the gradient norm is 0 (G frozen or no G step) or not finite; a log axis cannot show it.</source>
        <translation>Пропуски: на этих итерациях норма градиента равна 0 (G заморожен или шага G не было) или не конечна; на логарифмической оси такое значение не показать.</translation>
    </message>
    <message>
        <source>loss: {0} → {1}</source>
        <translation>потери: {0} → {1}</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>потери</translation>
    </message>
    <message>
        <source>lr_D {0} → {1}</source>
        <translation>lr_D {0} → {1}</translation>
    </message>
    <message>
        <source>lr_G {0} → {1}</source>
        <translation>lr_G {0} → {1}</translation>
    </message>
    <message>
        <source>k_D {0} → {1}</source>
        <translation>k_D {0} → {1}</translation>
    </message>
    <message>
        <source>k_G {0} → {1}</source>
        <translation>k_G {0} → {1}</translation>
    </message>
    <message>
        <source>batch size {0} → {1}</source>
        <translation>размер минибатча {0} → {1}</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>батч</translation>
    </message>
    <message>
        <source>GP λ {0} → {1}</source>
        <translation>GP λ {0} → {1}</translation>
    </message>
    <message>
        <source>R1 γ {0} → {1}</source>
        <translation>R1 γ {0} → {1}</translation>
    </message>
    <message>
        <source>β1_D {0} → {1}</source>
        <translation>β1_D {0} → {1}</translation>
    </message>
    <message>
        <source>β1_G {0} → {1}</source>
        <translation>β1_G {0} → {1}</translation>
    </message>
    <message>
        <source>β2_D {0} → {1}</source>
        <translation>β2_D {0} → {1}</translation>
    </message>
    <message>
        <source>β2_G {0} → {1}</source>
        <translation>β2_G {0} → {1}</translation>
    </message>
    <message>
        <source>p_z: {0} → {1}</source>
        <translation>p_z: {0} → {1}</translation>
    </message>
    <message>
        <source>target: {0} → {1}</source>
        <translation>цель: {0} → {1}</translation>
    </message>
    <message>
        <source>target</source>
        <translation>цель</translation>
    </message>
    <message>
        <source>target std {0} → {1}</source>
        <translation>σ цели {0} → {1}</translation>
    </message>
    <message>
        <source>std</source>
        <translation>σ</translation>
    </message>
    <message>
        <source>target points: {1}</source>
        <translation>точки цели: {1}</translation>
    </message>
    <message>
        <source>new networks: G depth {0} → {1}</source>
        <translation>новые сети: слоёв G {0} → {1}</translation>
    </message>
    <message>
        <source>reset</source>
        <translation>сброс</translation>
    </message>
    <message>
        <source>new networks: G width {0} → {1}</source>
        <translation>новые сети: ширина G {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: G activation {0} → {1}</source>
        <translation>новые сети: активация G {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: D depth {0} → {1}</source>
        <translation>новые сети: слоёв D {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: D width {0} → {1}</source>
        <translation>новые сети: ширина D {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: D activation {0} → {1}</source>
        <translation>новые сети: активация D {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: noise dim {0} → {1}</source>
        <translation>новые сети: размерность шума {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: optimizer D {0} → {1}</source>
        <translation>новые сети: оптимизатор D {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: optimizer G {0} → {1}</source>
        <translation>новые сети: оптимизатор G {0} → {1}</translation>
    </message>
    <message>
        <source>new networks: device {0} → {1}</source>
        <translation>новые сети: устройство {0} → {1}</translation>
    </message>
    <message>
        <source>new networks</source>
        <translation>новые сети</translation>
    </message>
    <message>
        <source>G frozen</source>
        <translation>G заморожен</translation>
    </message>
    <message>
        <source>G trains again</source>
        <translation>G снова обучается</translation>
    </message>
    <message>
        <source>G on</source>
        <translation>G вкл.</translation>
    </message>
    <message>
        <source>D frozen</source>
        <translation>D заморожен</translation>
    </message>
    <message>
        <source>D trains again</source>
        <translation>D снова обучается</translation>
    </message>
    <message>
        <source>D on</source>
        <translation>D вкл.</translation>
    </message>
    <message>
        <source>target: mode {2} moved</source>
        <translation>цель: мода {2} сдвинута</translation>
    </message>
    <message>
        <source>target: mode {2} added</source>
        <translation>цель: добавлена мода {2}</translation>
    </message>
    <message>
        <source>target: mode {2} removed</source>
        <translation>цель: удалена мода {2}</translation>
    </message>
    <message>
        <source>target: mode {2} std {0} → {1}</source>
        <translation>цель: σ моды {2} {0} → {1}</translation>
    </message>
    <message>
        <source>target replaced: {1} modes</source>
        <translation>цель заменена: мод {1}</translation>
    </message>
    <message>
        <source>oracle D* {0} → {1}</source>
        <translation>оракул D* {0} → {1}</translation>
    </message>
    <message>
        <source>oracle</source>
        <translation>оракул</translation>
    </message>
    <message>
        <source>G trains against the optimal D*</source>
        <translation>G обучается против оптимального D*</translation>
    </message>
    <message>
        <source>G trains against D again</source>
        <translation>G снова обучается против D</translation>
    </message>
    <message>
        <source>D</source>
        <translation>D</translation>
    </message>
    <message>
        <source>D set to D* (mean |D − D*| = {1})</source>
        <translation>D приравнен к D* (среднее |D − D*| = {1})</translation>
    </message>
    <message>
        <source>D*</source>
        <translation>D*</translation>
    </message>
    <message>
        <source>iteration {0:,}</source>
        <translation>итерация {0:,}</translation>
    </message>
</context>
<context>
    <name>DivergenceBanner</name>
    <message>
        <source>Reset</source>
        <translation>Сброс</translation>
    </message>
    <message>
        <source>Lower learning rates ÷10 and reset</source>
        <translation>Уменьшить скорости обучения в 10 раз и сбросить</translation>
    </message>
</context>
<context>
    <name>EquationBoard</name>
    <message>
        <source>Losses</source>
        <translation>Функции потерь</translation>
    </message>
    <message>
        <source>Value function V(G, D)</source>
        <translation>Функция ценности V(G, D)</translation>
    </message>
    <message>
        <source>Optimal discriminator</source>
        <translation>Оптимальный дискриминатор</translation>
    </message>
    <message>
        <source>The generator against D*: (13)–(16)</source>
        <translation>Генератор против D*: (13)–(16)</translation>
    </message>
    <message>
        <source>the L_D curve</source>
        <translation>кривую L_D</translation>
    </message>
    <message>
        <source>the L_G curve</source>
        <translation>кривую L_G</translation>
    </message>
    <message>
        <source>the V(G, D) curve</source>
        <translation>кривую V(G, D)</translation>
    </message>
    <message>
        <source>the V(G, D*) curve</source>
        <translation>кривую V(G, D*)</translation>
    </message>
    <message>
        <source>the JSD curve</source>
        <translation>кривую JSD</translation>
    </message>
    <message>
        <source>the D(x) heatmap</source>
        <translation>тепловую карту D(x)</translation>
    </message>
    <message>
        <source>the D*(x) heatmap</source>
        <translation>тепловую карту D*(x)</translation>
    </message>
    <message>
        <source>Click to highlight {0}.</source>
        <translation>Щёлкните, чтобы выделить {0}.</translation>
    </message>
    <message>
        <source>Could not export the equation board to {0}: {1}</source>
        <translation>Не удалось экспортировать доску формул в {0}: {1}</translation>
    </message>
    <message>
        <source>No run yet: the values appear with the first frame.</source>
        <translation>Запуска ещё нет: значения появятся с первым кадром.</translation>
    </message>
    <message>
        <source>Iteration {0}.</source>
        <translation>Итерация {0}.</translation>
    </message>
</context>
<context>
    <name>Equations</name>
    <message>
        <source>Discriminator loss: binary cross-entropy, real labelled 1 and generated 0 (a batch mean of each sum).</source>
        <translation>Потери дискриминатора: бинарная перекрёстная энтропия, реальные помечены 1, сгенерированные — 0 (среднее каждой суммы по батчу).</translation>
    </message>
    <message>
        <source>Generator loss, non-saturating: G maximises log D(G(z)); steep where D rejects the fakes, so G learns early.</source>
        <translation>Потери генератора, non-saturating: G максимизирует log D(G(z)); круто там, где D отвергает подделки, поэтому G учится рано.</translation>
    </message>
    <message>
        <source>Generator loss, minimax: G minimises the game (9) itself; flat where D rejects the fakes confidently (it saturates).</source>
        <translation>Потери генератора, minimax: G минимизирует саму игру (9); полого там, где D уверенно отвергает подделки (насыщение).</translation>
    </message>
    <message>
        <source>Discriminator (critic) loss of this loss function: not in the lecture; D(x) is the network&apos;s raw output.</source>
        <translation>Потери дискриминатора (критика) для этой функции потерь: не из лекции; D(x) — сырой выход сети.</translation>
    </message>
    <message>
        <source>Generator loss of this loss function: not in the lecture.</source>
        <translation>Потери генератора для этой функции потерь: не из лекции.</translation>
    </message>
    <message>
        <source>The value function as a sample mean: N real samples x_i, M generated G(z_j), with its standard error.</source>
        <translation>Функция ценности как выборочное среднее: N реальных точек x_i, M сгенерированных G(z_j), со стандартной ошибкой.</translation>
    </message>
    <message>
        <source>The same V(G, D) in integral form, summed on the grid against the kernel-smoothed densities.</source>
        <translation>Та же V(G, D) в интегральной форме, просуммированная на сетке по сглаженным ядром плотностям.</translation>
    </message>
    <message>
        <source>The optimal discriminator for the current generator: a field, not one number (its heatmap); below, its range on the grid and the trained D&apos;s.</source>
        <translation>Оптимальный дискриминатор для текущего генератора: поле, а не одно число (его тепловая карта); ниже — его диапазон на сетке и диапазон обученного D.</translation>
    </message>
    <message>
        <source>The value of the game at D*: what G faces when D is optimal.</source>
        <translation>Значение игры при D*: то, с чем сталкивается G, когда D оптимален.</translation>
    </message>
    <message>
        <source>The same value after taking out −log 4, written with two KL divergences to the mixture (p_data + p_g)/2.</source>
        <translation>То же значение после выделения −log 4, записанное через две KL-дивергенции к смеси (p_data + p_g)/2.</translation>
    </message>
    <message>
        <source>Jensen–Shannon divergence: the mean of the two KL terms; 0 when p_g = p_data, at most log 2.</source>
        <translation>Дивергенция Йенсена — Шеннона: среднее двух слагаемых KL; 0 при p_g = p_data, не больше log 2.</translation>
    </message>
    <message>
        <source>So at D* the generator minimises the JSD: V(G, D*) reaches its minimum −log 4 exactly when p_g = p_data.</source>
        <translation>Значит, при D* генератор минимизирует JSD: V(G, D*) достигает минимума −log 4 ровно при p_g = p_data.</translation>
    </message>
    <message>
        <source>Does not apply to {0}: its critic is not a probability, so there is no log D, and D* is not what it learns.</source>
        <translation>Не применимо к {0}: его критик — не вероятность, поэтому нет log D, и обучается он не D*.</translation>
    </message>
    <message>
        <source>Biased when G is sharper than the kernel (h = {0:.3g}): compare the sample mean above.</source>
        <translation>Смещена, когда G резче ядра (h = {0:.3g}): сравните с выборочным средним выше.</translation>
    </message>
    <message>
        <source>JSD without the kernel (1-D world)</source>
        <translation>JSD без ядра (одномерный мир)</translation>
    </message>
    <message>
        <source>KL and JSD of the smoothed densities (kernel h = {0:.3g}): a lower bound of the true JSD.</source>
        <translation>KL и JSD сглаженных плотностей (ядро h = {0:.3g}): нижняя оценка истинной JSD.</translation>
    </message>
    <message>
        <source>{0} does not minimise this: the numbers still measure p_g against p_data.</source>
        <translation>{0} не минимизирует это: числа всё равно сравнивают p_g с p_data.</translation>
    </message>
    <message>
        <source>The gradient penalty is added in each update but not to this value (nor to the L_D curve).</source>
        <translation>Градиентный штраф добавляется при каждом обновлении, но не к этому значению (и не к кривой L_D).</translation>
    </message>
    <message>
        <source>Theory is off for this frame: no densities, so no value.</source>
        <translation>Теория для этого кадра выключена: нет плотностей — нет и значения.</translation>
    </message>
    <message>
        <source>Loss: non-saturating, the lecture&apos;s L_G (7). Everything below is the lecture&apos;s theory.</source>
        <translation>Потери: non-saturating, L_G (7) из лекции. Всё ниже — теория из лекции.</translation>
    </message>
    <message>
        <source>Loss: minimax, the game (9) as written: G minimises log(1 − D(G(z))). Everything below is the lecture&apos;s theory.</source>
        <translation>Потери: minimax, игра (9) как записана: G минимизирует log(1 − D(G(z))). Всё ниже — теория из лекции.</translation>
    </message>
    <message>
        <source>Loss: LSGAN (least squares), not in the lecture. V(G, D) and D* read D&apos;s output as the probability (D + 1)/2; LSGAN&apos;s G minimises a Pearson χ² divergence, not the JSD.</source>
        <translation>Потери: LSGAN (наименьшие квадраты), не из лекции. V(G, D) и D* трактуют выход D как вероятность (D + 1)/2; G в LSGAN минимизирует χ²-дивергенцию Пирсона, а не JSD.</translation>
    </message>
    <message>
        <source>Loss: WGAN-GP, not in the lecture. Its critic is not a probability: D*, V(G, D) and the lecture&apos;s identities do not apply to it.</source>
        <translation>Потери: WGAN-GP, не из лекции. Его критик — не вероятность: D*, V(G, D) и тождества лекции к нему не применимы.</translation>
    </message>
    <message>
        <source>Loss: hinge, not in the lecture. Its critic is not a probability: D*, V(G, D) and the lecture&apos;s identities do not apply to it.</source>
        <translation>Потери: hinge, не из лекции. Его критик — не вероятность: D*, V(G, D) и тождества лекции к нему не применимы.</translation>
    </message>
    <message>
        <source>Loss: {0}.</source>
        <translation>Потери: {0}.</translation>
    </message>
    <message>
        <source>D, D* and the divergences are from iteration {0}.</source>
        <translation>D, D* и дивергенции — с итерации {0}.</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>field view</source>
        <translation>поле</translation>
    </message>
    <message>
        <source>theory view</source>
        <translation>теоретический вид</translation>
    </message>
    <message>
        <source>curves</source>
        <translation>графики</translation>
    </message>
    <message>
        <source>equation board</source>
        <translation>доска формул</translation>
    </message>
    <message>
        <source>window</source>
        <translation>окно</translation>
    </message>
    <message>
        <source>unknown view &apos;{0}&apos;</source>
        <translation>неизвестный вид «{0}»</translation>
    </message>
    <message>
        <source>Could not export to {0}: {1}</source>
        <translation>Не удалось экспортировать в {0}: {1}</translation>
    </message>
    <message>
        <source>Exported the {0} to {1} ({2} × {3} px)</source>
        <translation>Экспортировано ({0}) в {1} ({2} × {3} пикс.)</translation>
    </message>
    <message>
        <source>Exported the {0} to {1}</source>
        <translation>Экспортировано ({0}) в {1}</translation>
    </message>
    <message>
        <source>Nothing to export yet: no training state</source>
        <translation>Пока нечего экспортировать: обучение ещё не началось</translation>
    </message>
    <message>
        <source>Exported {0} rows of curve data to {1}</source>
        <translation>Данные графиков экспортированы в {1} (строк: {0})</translation>
    </message>
    <message>
        <source>scale must be between 0.1 and 8</source>
        <translation>масштаб должен быть от 0,1 до 8</translation>
    </message>
    <message>
        <source>could not encode the PNG image</source>
        <translation>не удалось закодировать изображение PNG</translation>
    </message>
    <message>
        <source>could not start the SVG painter</source>
        <translation>не удалось начать рисование SVG</translation>
    </message>
    <message>
        <source>iteration {0:,}</source>
        <translation>итерация {0:,}</translation>
    </message>
    <message>
        <source>JSD {0:.3f}</source>
        <translation>JSD {0:.3f}</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>папка не существует</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>доступ запрещён</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>диск доступен только для чтения</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>диск заполнен</translation>
    </message>
    <message>
        <source>the disk quota is exceeded</source>
        <translation>превышена дисковая квота</translation>
    </message>
    <message>
        <source>that is a folder</source>
        <translation>это папка</translation>
    </message>
    <message>
        <source>record to a .gif or .mp4 file (got &apos;{0}&apos;)</source>
        <translation>записывать можно только в файл .gif или .mp4 (получено «{0}»)</translation>
    </message>
    <message>
        <source>recording needs the imageio package: pip install &apos;ganlab[record]&apos;</source>
        <translation>для записи нужен пакет imageio: pip install &apos;ganlab[record]&apos;</translation>
    </message>
    <message>
        <source>MP4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg); GIF works without it</source>
        <translation>для MP4 нужен пакет imageio-ffmpeg (pip install imageio-ffmpeg); GIF работает и без него</translation>
    </message>
    <message>
        <source>GIF needs the pillow package: pip install pillow</source>
        <translation>для GIF нужен пакет pillow: pip install pillow</translation>
    </message>
    <message>
        <source>cannot record to {0}: the folder does not exist</source>
        <translation>невозможно записать в {0}: папка не существует</translation>
    </message>
    <message>
        <source>cannot record to {0}: {1}</source>
        <translation>невозможно записать в {0}: {1}</translation>
    </message>
    <message>
        <source>the recording is already closed</source>
        <translation>запись уже закрыта</translation>
    </message>
    <message>
        <source>no frames were recorded</source>
        <translation>не записано ни одного кадра</translation>
    </message>
    <message>
        <source>cannot write {0}: {1}</source>
        <translation>невозможно записать {0}: {1}</translation>
    </message>
    <message>
        <source>a video frame must be an (h, w, 3) uint8 array</source>
        <translation>кадр видео должен быть массивом uint8 формы (h, w, 3)</translation>
    </message>
</context>
<context>
    <name>Exporter</name>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Экспорт</translation>
    </message>
    <message>
        <source>&amp;Field view as PNG…</source>
        <translation>&amp;Поле в PNG…</translation>
    </message>
    <message>
        <source>&amp;Theory view as PNG…</source>
        <translation>&amp;Теоретический вид в PNG…</translation>
    </message>
    <message>
        <source>&amp;Curves as PNG…</source>
        <translation>&amp;Графики в PNG…</translation>
    </message>
    <message>
        <source>&amp;Window as PNG…</source>
        <translation>&amp;Окно целиком в PNG…</translation>
    </message>
    <message>
        <source>Field view as SVG…</source>
        <translation>Поле в SVG…</translation>
    </message>
    <message>
        <source>Theory view as SVG…</source>
        <translation>Теоретический вид в SVG…</translation>
    </message>
    <message>
        <source>Curves as SVG…</source>
        <translation>Графики в SVG…</translation>
    </message>
    <message>
        <source>Window as SVG…</source>
        <translation>Окно целиком в SVG…</translation>
    </message>
    <message>
        <source>&amp;Equation board as PNG…</source>
        <translation>&amp;Доска формул в PNG…</translation>
    </message>
    <message>
        <source>Equation board as SVG…</source>
        <translation>Доска формул в SVG…</translation>
    </message>
    <message>
        <source>Save a picture for slides, at the PNG scale chosen below</source>
        <translation>Сохранить картинку для слайдов в масштабе PNG, выбранном ниже</translation>
    </message>
    <message>
        <source>Save a vector picture for lecture notes (scales without blur)</source>
        <translation>Сохранить векторную картинку для конспекта лекции (масштабируется без размытия)</translation>
    </message>
    <message>
        <source>Curves &amp;data as CSV…</source>
        <translation>&amp;Данные графиков в CSV…</translation>
    </message>
    <message>
        <source>Every curve&apos;s values: losses per iteration, JSD, V and coverage per refresh</source>
        <translation>Значения всех графиков: функции потерь на каждой итерации, JSD, V и покрытие мод при каждом обновлении</translation>
    </message>
    <message>
        <source>PNG &amp;scale</source>
        <translation>&amp;Масштаб PNG</translation>
    </message>
    <message>
        <source>{0}x</source>
        <translation>{0}×</translation>
    </message>
    <message>
        <source>PNG exports at {0} times the size on screen</source>
        <translation>Экспорт PNG в {0} раз(а) крупнее, чем на экране</translation>
    </message>
    <message>
        <source>Ca&amp;ption on pictures and recordings</source>
        <translation>&amp;Подпись на картинках и записях</translation>
    </message>
    <message>
        <source>Write the preset, loss, iteration and JSD small in a bottom corner of PNG, SVG, GIF and MP4</source>
        <translation>Мелко писать в нижнем углу PNG, SVG, GIF и MP4 шаблон, функцию потерь, итерацию и JSD</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Изображение PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG vector image (*.svg)</source>
        <translation>Векторное изображение SVG (*.svg)</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
</context>
<context>
    <name>FieldView</name>
    <message>
        <source>likely generated  ←  D(x)  →  likely real</source>
        <translation>скорее сгенерированные  ←  D(x)  →  скорее реальные</translation>
    </message>
    <message>
        <source>generated  ←  D(x)  →  real</source>
        <translation>сгенерированные  ←  D(x)  →  реальные</translation>
    </message>
    <message>
        <source>fake ← D → real</source>
        <translation>ложные ← D → реальные</translation>
    </message>
    <message>
        <source>generated-like  ←  critic score  →  real-like</source>
        <translation>как сгенерированные  ←  оценка критика  →  как реальные</translation>
    </message>
    <message>
        <source>generated  ←  critic  →  real</source>
        <translation>сгенерированные  ←  критик  →  реальные</translation>
    </message>
    <message>
        <source>fake ← critic → real</source>
        <translation>ложные ← критик → реальные</translation>
    </message>
    <message>
        <source>Mode centre of p_data: drag to move it, wheel or right-click to change its std, right-click to remove it. Double-click empty space to add a mode.</source>
        <translation>Центр моды p_data: перетащите, чтобы сдвинуть; колесо или правый щелчок меняют её σ, правый щелчок — удаляет. Двойной щелчок по пустому месту добавляет моду.</translation>
    </message>
    <message>
        <source>D(x): the discriminator&apos;s probability that x is a real sample: purple = likely real, green = likely generated. 0.5 (white) means it cannot tell, which is where training should end.</source>
        <translation>D(x): вероятность, которую дискриминатор присваивает тому, что x — реальные данные: фиолетовый — скорее реальные, зелёный — скорее сгенерированные. 0,5 (белый) — не может различить; к этому обучение и должно прийти.</translation>
    </message>
    <message>
        <source>Remove mode</source>
        <translation>Удалить моду</translation>
    </message>
    <message>
        <source>Wider (std x 1.25)</source>
        <translation>Шире (σ × 1,25)</translation>
    </message>
    <message>
        <source>Narrower (std / 1.25)</source>
        <translation>Уже (σ / 1,25)</translation>
    </message>
    <message>
        <source>mode {0}  ({1:.3f}, {2:.3f})  std {3:.3g}</source>
        <translation>мода {0}  ({1:.3f}, {2:.3f})  σ {3:.3g}</translation>
    </message>
    <message>
        <source>mode {0} at ({1:.2f}, {2:.2f}), std {3:.3g}</source>
        <translation>мода {0} в ({1:.2f}, {2:.2f}), σ {3:.3g}</translation>
    </message>
    <message>
        <source>generated  ({0:.3f}, {1:.3f})</source>
        <translation>сгенерированная  ({0:.3f}, {1:.3f})</translation>
    </message>
    <message>
        <source>real  ({0:.3f}, {1:.3f})</source>
        <translation>реальная  ({0:.3f}, {1:.3f})</translation>
    </message>
    <message>
        <source>  critic = {0:.3g}</source>
        <translation>  критик = {0:.3g}</translation>
    </message>
    <message>
        <source>{0}% of generated samples off view {1}</source>
        <translation>за пределами вида {0}% сгенерированных точек {1}</translation>
    </message>
    <message>
        <source>{0} of {1} generated samples lie outside the range shown. Click here or press F (Fit) to widen the view to all of them.</source>
        <translation>{0} из {1} сгенерированных точек лежат за пределами показанной области. Щёлкните здесь или нажмите F («Вписать»), чтобы расширить вид на все точки.</translation>
    </message>
    <message>
        <source>The target is full: at most {0} modes. Remove some (right-click a mode) or undo.</source>
        <translation>Целевое распределение заполнено: не больше {0} мод. Удалите лишние (правый щелчок по моде) или отмените действие.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Вписать</translation>
    </message>
    <message>
        <source>Fit (F): widen the view to every generated sample and the whole target, and follow them; off: back to the preset&apos;s range. The count at the bottom right says how many samples are off view.</source>
        <translation>«Вписать» (F): расширить вид так, чтобы в него попали все сгенерированные точки и всё целевое распределение, и следить за ними; выключено — область шаблона. Счётчик справа внизу показывает, сколько точек вне вида.</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Кисть</translation>
    </message>
    <message>
        <source>Brush (B): drag on the field to draw the target: small modes of p_data along the stroke, each stroke one undo step (Ctrl+Z). A click lays one mode. Off: dragging pans the view again.</source>
        <translation>«Кисть» (B): ведите мышью по полю, чтобы нарисовать целевое распределение — маленькие моды p_data вдоль штриха; каждый штрих отменяется одним действием (Ctrl+Z). Щелчок ставит одну моду. Выключено — перетаскивание снова сдвигает вид.</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>Легенда</translation>
    </message>
    <message>
        <source>Show or hide the legend under the field: what the colours and marks mean.</source>
        <translation>Показать или скрыть легенду под полем: что означают цвета и значки.</translation>
    </message>
    <message>
        <source>real samples (p_data)</source>
        <translation>реальные точки (p_data)</translation>
    </message>
    <message>
        <source>generated samples (p_g), drawn on top</source>
        <translation>сгенерированные точки (p_g), поверх</translation>
    </message>
    <message>
        <source>mode centre: drag it</source>
        <translation>центр моды: можно тащить</translation>
    </message>
    <message>
        <source>ring: 2 std of the mode</source>
        <translation>кольцо: 2σ моды</translation>
    </message>
    <message>
        <source>grey in D*: no samples there</source>
        <translation>серое в D*: там нет точек</translation>
    </message>
    <message>
        <source>real</source>
        <translation>реальные</translation>
    </message>
    <message>
        <source>generated</source>
        <translation>сгенерированные</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>мода</translation>
    </message>
    <message>
        <source>2 std</source>
        <translation>2σ</translation>
    </message>
    <message>
        <source>grey in D*: empty</source>
        <translation>серое в D*: пусто</translation>
    </message>
    <message>
        <source>Blue: samples of p_data, the target. Orange with a dark rim: samples of the generator (p_g), drawn over the blue, so where G has found a mode both show. White reticles: the target&apos;s mode centres (drag to move, wheel or right-click to resize); thin rings: 2 std around each. Grey in the D* panels: neither distribution has samples there, so D* is not defined. The background is D(x) (colour bar).</source>
        <translation>Синие — точки p_data, целевого распределения. Оранжевые с тёмной обводкой — точки генератора (p_g), они рисуются поверх синих, поэтому там, где G нашёл моду, видны обе. Белые перекрестья — центры мод цели (перетащите, чтобы сдвинуть; колесо или правый щелчок меняют размер); тонкие кольца — 2σ вокруг каждого центра. Серое на панелях D* — там нет точек ни одного из распределений, и D* не определён. Фон — D(x) (см. цветовую шкалу).</translation>
    </message>
</context>
<context>
    <name>Figures</name>
    <message>
        <source>p_data (smoothed)</source>
        <translation>p_data (сглаженная)</translation>
    </message>
    <message>
        <source>p_g (KDE)</source>
        <translation>p_g (KDE)</translation>
    </message>
    <message>
        <source>critic (scaled)</source>
        <translation>критик (в масштабе)</translation>
    </message>
    <message>
        <source>samples: real (top row), generated (bottom row)</source>
        <translation>точки: реальные (верхний ряд), сгенерированные (нижний ряд)</translation>
    </message>
    <message>
        <source>z (bottom) → x = G(z) (middle); real samples on top</source>
        <translation>z (внизу) → x = G(z) (в середине); реальные точки сверху</translation>
    </message>
    <message>
        <source>No closed-form D* for {0}: its critic is not a probability.</source>
        <translation>Для {0} нет D* в замкнутом виде: его критик — не вероятность.</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>Change {0}</source>
        <translation>Изменение {0}</translation>
    </message>
    <message>
        <source>Draw {0} modes</source>
        <translation>Нарисовать мод: {0}</translation>
    </message>
    <message>
        <source>Move mode {0}</source>
        <translation>Перемещение моды {0}</translation>
    </message>
    <message>
        <source>Add a mode</source>
        <translation>Добавление моды</translation>
    </message>
    <message>
        <source>Remove mode {0}</source>
        <translation>Удаление моды {0}</translation>
    </message>
    <message>
        <source>Resize mode {0}</source>
        <translation>Изменение ширины моды {0}</translation>
    </message>
    <message>
        <source>Restore the preset&apos;s target</source>
        <translation>Возврат к целевому распределению шаблона</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>&amp;Language / Язык</source>
        <translation>&amp;Язык / Language</translation>
    </message>
    <message>
        <source>Language: {0}</source>
        <translation>Язык интерфейса: {0}</translation>
    </message>
</context>
<context>
    <name>Lecture</name>
    <message>
        <source>Probing x = {0:.3g}{1}: see the “D* probe” tab</source>
        <translation>Зонд в x = {0:.3g}{1}: см. вкладку «Зонд D*»</translation>
    </message>
    <message>
        <source>, y = {0:.3g}</source>
        <translation>, y = {0:.3g}</translation>
    </message>
    <message>
        <source>&amp;Theory workspace</source>
        <translation>&amp;Рабочая область теории</translation>
    </message>
    <message>
        <source>The theory tabs take the field&apos;s place too (W): D, D* and D − D* as large as the field</source>
        <translation>Вкладки теории тоже занимают место поля (W): D, D* и D − D* размером с поле</translation>
    </message>
</context>
<context>
    <name>LectureTabs</name>
    <message>
        <source>D and D*</source>
        <translation>D и D*</translation>
    </message>
    <message>
        <source>Equations</source>
        <translation>Формулы</translation>
    </message>
    <message>
        <source>Saturation</source>
        <translation>Насыщение</translation>
    </message>
    <message>
        <source>D* probe</source>
        <translation>Зонд D*</translation>
    </message>
    <message>
        <source>Workspace</source>
        <translation>Теория крупно</translation>
    </message>
    <message>
        <source>Give these views the field&apos;s place too (W), so that D, D* and D − D* are as large as the field</source>
        <translation>Отдать этим видам и место поля (W), чтобы D, D* и D − D* были размером с поле</translation>
    </message>
    <message>
        <source>The 1-D view shows D(x) and D*(x) as curves over the line.</source>
        <translation>Одномерный вид показывает D(x) и D*(x) кривыми над прямой.</translation>
    </message>
</context>
<context>
    <name>LessonController</name>
    <message>
        <source>Lesson</source>
        <translation>Урок</translation>
    </message>
    <message>
        <source>Show the lesson panel</source>
        <translation>Показать панель урока</translation>
    </message>
    <message>
        <source>Could not open the lesson: </source>
        <translation>Не удалось открыть урок: </translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>Загрузка PyTorch…</translation>
    </message>
    <message>
        <source>Lesson {0}: {1} (seed {2}). Press Start.</source>
        <translation>Урок {0}: {1} (сид {2}). Нажмите «Начать».</translation>
    </message>
    <message>
        <source>Lessons could not be loaded: </source>
        <translation>Не удалось загрузить уроки: </translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>Start</source>
        <translation>Начать</translation>
    </message>
    <message>
        <source>Train with the lesson&apos;s settings (the same as Play)</source>
        <translation>Обучать с настройками урока (то же, что «Пуск»)</translation>
    </message>
    <message>
        <source>Restart lesson</source>
        <translation>Начать урок заново</translation>
    </message>
    <message>
        <source>Set the lesson up again: its settings, its seed, new networks</source>
        <translation>Заново подготовить урок: его настройки, его сид, новые сети</translation>
    </message>
    <message>
        <source>Choose a lesson from the **Lessons** menu.</source>
        <translation>Выберите урок в меню **Уроки**.</translation>
    </message>
    <message>
        <source>seed {0}</source>
        <translation>сид {0}</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Unexpected error (the app keeps running): {0}: {1}</source>
        <translation>Непредвиденная ошибка (приложение продолжает работу): {0}: {1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Full speed</source>
        <translation>Максимальная скорость</translation>
    </message>
    <message>
        <source>Fast-forward (10 frames/s)</source>
        <translation>Ускоренно (10 кадров/с)</translation>
    </message>
    <message>
        <source>300 it/s</source>
        <translation>300 итер./с</translation>
    </message>
    <message>
        <source>30 it/s</source>
        <translation>30 итер./с</translation>
    </message>
    <message>
        <source>5 it/s (explain)</source>
        <translation>5 итер./с (для объяснения)</translation>
    </message>
    <message>
        <source>1 it/s (slow)</source>
        <translation>1 итер./с (медленно)</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>Загрузка PyTorch…</translation>
    </message>
    <message>
        <source>Press Reset (R) again to discard {0:,} iterations and start from new networks</source>
        <translation>Нажмите «Сброс» (R) ещё раз, чтобы отбросить {0:,} итераций и начать с новых сетей</translation>
    </message>
    <message>
        <source>Controls</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>&amp;Обучение</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>&amp;Уроки</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>Points CSV</source>
        <translation>Точки из CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv *.txt)</source>
        <translation>CSV (*.csv *.txt)</translation>
    </message>
    <message>
        <source>Could not load points: </source>
        <translation>Не удалось загрузить точки: </translation>
    </message>
    <message>
        <source>Training paused: diverged</source>
        <translation>Обучение приостановлено: расходимость</translation>
    </message>
    <message>
        <source>New networks built for the new architecture: training restarted from iteration 0</source>
        <translation>Для новой архитектуры созданы новые сети: обучение начато заново с итерации 0</translation>
    </message>
    <message>
        <source>Opened seed {0} at iteration {1} as the main run</source>
        <translation>Сид {0} на итерации {1} открыт как основной запуск</translation>
    </message>
    <message>
        <source>iteration {0:,}   {1:,.0f} it/s   {2:.0f} fps   device {3}   seed {4}</source>
        <translation>итерация {0:,}   {1:,.0f} итер./с   {2:.0f} кадр./с   устройство {3}   сид {4}</translation>
    </message>
    <message>
        <source>PAUSED at iteration {0:,}   device {1}   seed {2}</source>
        <translation>ПАУЗА на итерации {0:,}   устройство {1}   сид {2}</translation>
    </message>
    <message>
        <source>frozen: {0}</source>
        <translation>заморожены: {0}</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>Restore the preset&apos;s &amp;target</source>
        <translation>Вернуть &amp;целевое распределение шаблона</translation>
    </message>
    <message>
        <source>Put the preset&apos;s modes back: moved, added and removed modes are undone (Ctrl+Z takes this back too)</source>
        <translation>Вернуть моды пресета: перемещённые, добавленные и удалённые моды возвращаются как были (Ctrl+Z отменяет и это)</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>&amp;Сравнение</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>&amp;Presenter mode</source>
        <translation>&amp;Режим презентации</translation>
    </message>
    <message>
        <source>Full screen, larger text, thicker lines and markers, for a projector (F11; Esc leaves)</source>
        <translation>Полный экран, крупный текст, толстые линии и маркеры — для проектора (F11; выход — Esc)</translation>
    </message>
    <message>
        <source>Leave presenter mode</source>
        <translation>Выйти из режима презентации</translation>
    </message>
    <message>
        <source>&amp;Controls panel</source>
        <translation>Панель &amp;параметров</translation>
    </message>
    <message>
        <source>Show or hide the controls dock (F9)</source>
        <translation>Показать или скрыть панель параметров (F9)</translation>
    </message>
</context>
<context>
    <name>ProbeView</name>
    <message>
        <source>For a fixed generator, V(G, D) is maximised at each x separately: f(D) = p_data(x) log D + p_g(x) log(1 − D) has f′(D) = p_data/D − p_g/(1 − D) = 0 at D* = p_data / (p_data + p_g) (lecture, formula (12)). Star: that maximum; circle: the trained D(x).</source>
        <translation>При фиксированном генераторе V(G, D) максимизируется в каждой точке x отдельно: у f(D) = p_data(x) log D + p_g(x) log(1 − D) производная f′(D) = p_data/D − p_g/(1 − D) = 0 при D* = p_data / (p_data + p_g) (лекция, формула (12)). Звезда — этот максимум; кружок — обученный D(x).</translation>
    </message>
    <message>
        <source>Click a point of the field or the D* map to probe it.</source>
        <translation>Щёлкните точку поля или карты D*, чтобы исследовать её.</translation>
    </message>
    <message>
        <source>p_data(x) = {0}    p_g(x) = {1}</source>
        <translation>p_data(x) = {0}    p_g(x) = {1}</translation>
    </message>
    <message>
        <source>D*(x) = {0}    D(x) = {1}</source>
        <translation>D*(x) = {0}    D(x) = {1}</translation>
    </message>
    <message>
        <source>f(D(x)) = {0}    f(D*) = {1}</source>
        <translation>f(D(x)) = {0}    f(D*) = {1}</translation>
    </message>
    <message>
        <source>Waiting for a frame of the run.</source>
        <translation>Ожидание кадра обучения.</translation>
    </message>
    <message>
        <source>Theory is off for this frame: there are no densities to probe.</source>
        <translation>Теория для этого кадра выключена: плотностей для исследования нет.</translation>
    </message>
    <message>
        <source>The point lies outside the evaluation grid: the densities are known only on it.</source>
        <translation>Точка лежит вне сетки вычислений: плотности известны только на ней.</translation>
    </message>
    <message>
        <source>Neither distribution has mass here: D* is not defined (grey on the D* map).</source>
        <translation>Здесь нет массы ни одного из распределений: D* не определён (серый цвет на карте D*).</translation>
    </message>
    <message>
        <source>D is a critic for {0}: its score is not a probability, so it has no place on f.</source>
        <translation>Для {0} D — критик: его оценка не вероятность, поэтому на f ей нет места.</translation>
    </message>
    <message>
        <source>p_data and p_g are the kernel-smoothed densities of the theory panel (bandwidth h = {0}).</source>
        <translation>p_data и p_g — сглаженные ядром плотности панели теории (ширина ядра h = {0}).</translation>
    </message>
</context>
<context>
    <name>Recorder</name>
    <message>
        <source>Recording: {0} to stop</source>
        <translation>Идёт запись: {0} — остановить</translation>
    </message>
    <message>
        <source>&amp;Record field view…</source>
        <translation>&amp;Записать поле…</translation>
    </message>
    <message>
        <source>Record &amp;whole window…</source>
        <translation>Записать &amp;окно целиком…</translation>
    </message>
    <message>
        <source>S&amp;top recording</source>
        <translation>&amp;Остановить запись</translation>
    </message>
    <message>
        <source>Record the field view to an animated GIF or an MP4 video while training runs ({0})</source>
        <translation>Записывать поле в анимированный GIF или видео MP4 во время обучения ({0})</translation>
    </message>
    <message>
        <source>Record the whole window (controls, views and curves) to a GIF or MP4</source>
        <translation>Записывать окно целиком (параметры, виды и графики) в GIF или MP4</translation>
    </message>
    <message>
        <source>Stop and write the recording ({0})</source>
        <translation>Остановить и сохранить запись ({0})</translation>
    </message>
    <message>
        <source>Already recording to {0}</source>
        <translation>Уже идёт запись в {0}</translation>
    </message>
    <message>
        <source>Cannot record: {0}</source>
        <translation>Невозможно записать: {0}</translation>
    </message>
    <message>
        <source>Recording the {0} to {1}</source>
        <translation>Идёт запись ({0}) в {1}</translation>
    </message>
    <message>
        <source>field view</source>
        <translation>поле</translation>
    </message>
    <message>
        <source>whole window</source>
        <translation>окно целиком</translation>
    </message>
    <message>
        <source>Recording not saved: {0}</source>
        <translation>Запись не сохранена: {0}</translation>
    </message>
    <message>
        <source> ({0} frames skipped: the encoder was busy)</source>
        <translation> (пропущено кадров: {0}, кодировщик был занят)</translation>
    </message>
    <message>
        <source>Recorded {0} frames to {1}</source>
        <translation>Запись сохранена в {1} (кадров: {0})</translation>
    </message>
    <message>
        <source>Recording stopped, nothing saved: {0}</source>
        <translation>Запись остановлена, ничего не сохранено: {0}</translation>
    </message>
    <message>
        <source>Recording stopped at its limit of {0} frames and saved to {1}</source>
        <translation>Запись остановлена на пределе в {0} кадров и сохранена в {1}</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>Анимированный GIF (*.gif)</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>Видео MP4 (*.mp4)</translation>
    </message>
    <message>
        <source>Record to</source>
        <translation>Записать в</translation>
    </message>
    <message>
        <source>● REC {0} frames  {1:.0f} s</source>
        <translation>● ЗАПИСЬ: кадров {0}  {1:.0f} с</translation>
    </message>
</context>
<context>
    <name>SaturationView</name>
    <message>
        <source>minimax</source>
        <translation>минимакс</translation>
    </message>
    <message>
        <source>non-saturating</source>
        <translation>ненасыщающая</translation>
    </message>
    <message>
        <source>The generator&apos;s loss for one sample as a function of D(G(z)). Minimax log(1 − D) is flat near D = 0, where the samples of an early generator sit; non-saturating −log D is steep there (lecture, formulas (7)–(9)). Points: D at the generated samples of the last evaluation.</source>
        <translation>Потери генератора на одном примере как функция D(G(z)). Минимаксная log(1 − D) полога возле D = 0, где лежат примеры раннего генератора; ненасыщающая −log D там крутая (лекция, формулы (7)–(9)). Точки: D на сгенерированных примерах последнего вычисления.</translation>
    </message>
    <message>
        <source>How hard each loss pushes the generator: |dL_G/dl| for one sample, l being D&apos;s logit (D = sigmoid(l)). Minimax gives D, which vanishes when D rejects the samples; non-saturating gives 1 − D.</source>
        <translation>Насколько сильно каждая функция потерь толкает генератор: |dL_G/dl| на одном примере, где l — логит D (D = sigmoid(l)). Минимаксная даёт D, что исчезает, когда D отвергает примеры; ненасыщающая даёт 1 − D.</translation>
    </message>
    <message>
        <source>mean |dL_G/dl|: no evaluated batch yet</source>
        <translation>среднее |dL_G/dl|: вычисленного батча пока нет</translation>
    </message>
    <message>
        <source>{0} (active)</source>
        <translation>{0} (активна)</translation>
    </message>
    <message>
        <source>mean |dL_G/dl| over {0} samples: {1}</source>
        <translation>среднее |dL_G/dl| по {0} примерам: {1}</translation>
    </message>
    <message>
        <source>D(G(z)) appears here after the first evaluation of the run.</source>
        <translation>D(G(z)) появится здесь после первого вычисления.</translation>
    </message>
    <message>
        <source>{0}: the critic&apos;s score is not a probability, so D(G(z)) has no place on these curves. Its generator loss −l has slope −1 for every sample, so the gradient magnitude is 1: it never saturates.</source>
        <translation>{0}: оценка критика не вероятность, поэтому D(G(z)) нет места на этих кривых. Его потери генератора −l имеют наклон −1 на каждом примере, так что модуль градиента равен 1: они никогда не насыщаются.</translation>
    </message>
    <message>
        <source>LSGAN: D = (l + 1)/2, clipped to [0, 1]; L_G = l²/2 = 2(D − ½)² pulls D(G(z)) to ½ with slope l, which grows with the distance instead of vanishing.</source>
        <translation>LSGAN: D = (l + 1)/2, обрезанный до [0, 1]; L_G = l²/2 = 2(D − ½)² тянет D(G(z)) к ½ с наклоном l, который растёт с расстоянием, а не исчезает.</translation>
    </message>
</context>
<context>
    <name>Scrubber</name>
    <message>
        <source>live: {0} moments kept</source>
        <translation>сейчас; сохранено моментов: {0}</translation>
    </message>
    <message>
        <source>iteration {0:,} (rewound)</source>
        <translation>итерация {0:,} (перемотано)</translation>
    </message>
    <message>
        <source>Rewind</source>
        <translation>Перемотка</translation>
    </message>
    <message>
        <source>Rewind:</source>
        <translation>Перемотка:</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <source>The run&apos;s past: a frame every few iterations, kept within a memory budget (older moments at a coarser spacing). Moving the slider pauses training and shows that moment in the field and the theory panels; Live (End), Play, a step or an edit returns to the running state.</source>
        <translation>Прошлое запуска: кадр через каждые несколько итераций в пределах отведённой памяти (давние моменты — реже). Движение ползунка ставит обучение на паузу и показывает этот момент в поле и на панелях теории; «Сейчас» (End), «Пуск», шаг или правка цели возвращают к текущему состоянию.</translation>
    </message>
    <message>
        <source>Back to the live run (End)</source>
        <translation>Вернуться к текущему состоянию (End)</translation>
    </message>
</context>
<context>
    <name>SeedGrid</name>
    <message>
        <source>Training stopped: {0}: {1}</source>
        <translation>Обучение остановлено: {0}: {1}</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>разошёлся</translation>
    </message>
    <message>
        <source>collapsed: 1 mode</source>
        <translation>коллапс: 1 мода</translation>
    </message>
    <message>
        <source>collapsed: {0} modes</source>
        <translation>коллапс: мод — {0}</translation>
    </message>
    <message>
        <source>off the modes ({0}/{1})</source>
        <translation>мимо мод ({0}/{1})</translation>
    </message>
    <message>
        <source>{0}/{1} modes</source>
        <translation>мод: {0}/{1}</translation>
    </message>
    <message>
        <source>collapsed on {0} of {1} seeds · all modes on {2} of {1} · iteration {3}</source>
        <translation>коллапс на {0} из {1} сидов · все моды на {2} из {1} · итерация {3}</translation>
    </message>
    <message>
        <source> · diverged on {0}</source>
        <translation> · расхождение на {0}</translation>
    </message>
    <message>
        <source>Seed grid: one setting, {0} seeds</source>
        <translation>Сетка сидов: одна настройка, сидов — {0}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Пуск</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сброс</translation>
    </message>
    <message>
        <source>New networks on the same seeds: iteration 0 again</source>
        <translation>Новые сети на тех же сидах: снова итерация 0</translation>
    </message>
    <message>
        <source>Click a run to open it as the main run</source>
        <translation>Щёлкните запуск, чтобы открыть его как основной</translation>
    </message>
    <message>
        <source>seed {0}</source>
        <translation>сид {0}</translation>
    </message>
    <message>
        <source>Seed {0}: click to open this run as the main run (the grid pauses)</source>
        <translation>Сид {0}: щёлкните, чтобы открыть этот запуск как основной (сетка встанет на паузу)</translation>
    </message>
    <message>
        <source>These settings cannot be trained as a seed grid: {0}</source>
        <translation>Эти настройки нельзя обучать сеткой сидов: {0}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>пауза</translation>
    </message>
    <message>
        <source>{0:.0f} iterations/s, each of {1} runs</source>
        <translation>{0:.0f} итераций/с на каждый из {1} запусков</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>&amp;Open session…</source>
        <translation>&amp;Открыть сеанс…</translation>
    </message>
    <message>
        <source>Continue a saved session: settings, target, both networks, optimizers, curves and iteration</source>
        <translation>Продолжить сохранённый сеанс: настройки, целевое распределение, обе сети, оптимизаторы, графики и номер итерации</translation>
    </message>
    <message>
        <source>&amp;Save session…</source>
        <translation>&amp;Сохранить сеанс…</translation>
    </message>
    <message>
        <source>Save everything needed to continue this run exactly, in one file</source>
        <translation>Сохранить в один файл всё, что нужно, чтобы в точности продолжить этот запуск</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Недавние сеансы</translation>
    </message>
    <message>
        <source>(no recent sessions)</source>
        <translation>(недавних сеансов нет)</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Очистить список</translation>
    </message>
    <message>
        <source>Training is still starting; try again in a moment.</source>
        <translation>Обучение ещё запускается; попробуйте через мгновение.</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>Сохранить сеанс</translation>
    </message>
    <message>
        <source>ganlab sessions (*.ganlab);;All files (*)</source>
        <translation>Сеансы ganlab (*.ganlab);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Saving session to {0}…</source>
        <translation>Сохранение сеанса в {0}…</translation>
    </message>
    <message>
        <source>Could not save session {0}: {1}</source>
        <translation>Не удалось сохранить сеанс {0}: {1}</translation>
    </message>
    <message>
        <source>Session saved: {0}</source>
        <translation>Сеанс сохранён: {0}</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Открыть сеанс</translation>
    </message>
    <message>
        <source>Could not open session {0}: {1}</source>
        <translation>Не удалось открыть сеанс {0}: {1}</translation>
    </message>
    <message>
        <source>Could not open session {0}: {1}: {2}</source>
        <translation>Не удалось открыть сеанс {0}: {1}: {2}</translation>
    </message>
    <message>
        <source>Loading session {0}…</source>
        <translation>Загрузка сеанса {0}…</translation>
    </message>
    <message>
        <source>Session loaded: {0}, iteration {1:,} (paused)</source>
        <translation>Сеанс загружен: {0}, итерация {1:,} (на паузе)</translation>
    </message>
    <message>
        <source>ganlab</source>
        <translation>ganlab</translation>
    </message>
</context>
<context>
    <name>SettingsKeeper</name>
    <message>
        <source>The last settings could not be restored: {0}</source>
        <translation>Не удалось восстановить последние настройки: {0}</translation>
    </message>
    <message>
        <source>Last settings restored with the default target: {0}</source>
        <translation>Последние настройки восстановлены с целевым распределением по умолчанию: {0}</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Drag a mode marker</source>
        <translation>Перетащить маркер моды</translation>
    </message>
    <message>
        <source>move that mode of p_data; training keeps running</source>
        <translation>сдвинуть эту моду p_data; обучение продолжается</translation>
    </message>
    <message>
        <source>Double-click empty space</source>
        <translation>Двойной щелчок по пустому месту</translation>
    </message>
    <message>
        <source>add a mode there</source>
        <translation>добавить там моду</translation>
    </message>
    <message>
        <source>Right-click a mode marker</source>
        <translation>Правый щелчок по маркеру моды</translation>
    </message>
    <message>
        <source>menu: remove the mode, make it wider or narrower</source>
        <translation>меню: удалить моду, сделать её шире или уже</translation>
    </message>
    <message>
        <source>Wheel over a mode marker</source>
        <translation>Колесо над маркером моды</translation>
    </message>
    <message>
        <source>change that mode&apos;s spread (std)</source>
        <translation>изменить разброс этой моды (σ)</translation>
    </message>
    <message>
        <source>Hover</source>
        <translation>Наведение мыши</translation>
    </message>
    <message>
        <source>coordinates, D(x), the point or mode under the mouse</source>
        <translation>координаты, D(x), точка или мода под курсором</translation>
    </message>
    <message>
        <source>Brush on (B): drag</source>
        <translation>Кисть включена (B): перетаскивание</translation>
    </message>
    <message>
        <source>lay small modes along the stroke (one undo step)</source>
        <translation>положить маленькие моды вдоль штриха (отменяется одним действием)</translation>
    </message>
    <message>
        <source>Wheel / drag elsewhere</source>
        <translation>Колесо / перетаскивание в другом месте</translation>
    </message>
    <message>
        <source>zoom / pan the plot (right-click: view menu)</source>
        <translation>масштаб / сдвиг графика (правый щелчок: меню вида)</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Окно</translation>
    </message>
    <message>
        <source>Mouse, in the field</source>
        <translation>Мышь в поле</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Press any key or click to close</source>
        <translation>Нажмите любую клавишу или щёлкните, чтобы закрыть</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Сочетания клавиш</translation>
    </message>
    <message>
        <source>Show every key and mouse gesture (? or F1; any key closes)</source>
        <translation>Показать все клавиши и действия мышью (? или F1; закрывается любой клавишей)</translation>
    </message>
</context>
<context>
    <name>TheoryView</name>
    <message>
        <source>likely generated  ←  D(x), D*(x)  →  likely real</source>
        <translation>скорее сгенерированные  ←  D(x), D*(x)  →  скорее реальные</translation>
    </message>
    <message>
        <source>generated  ←  D, D*  →  real</source>
        <translation>сгенерированные  ←  D, D*  →  реальные</translation>
    </message>
    <message>
        <source>fake ← D, D* → real</source>
        <translation>ложные ← D, D* → реальные</translation>
    </message>
    <message>
        <source>generated-like  ←  critic score  →  real-like</source>
        <translation>как сгенерированные  ←  оценка критика  →  как реальные</translation>
    </message>
    <message>
        <source>generated  ←  critic  →  real</source>
        <translation>сгенерированные  ←  критик  →  реальные</translation>
    </message>
    <message>
        <source>fake ← critic → real</source>
        <translation>ложные ← критик → реальные</translation>
    </message>
    <message>
        <source>D below D*  ←  D − D*  →  D above D*</source>
        <translation>D ниже D*  ←  D − D*  →  D выше D*</translation>
    </message>
    <message>
        <source>D &lt; D*  ←  →  D &gt; D*</source>
        <translation>D &lt; D*  ←  →  D &gt; D*</translation>
    </message>
    <message>
        <source>D − D*</source>
        <translation>D − D*</translation>
    </message>
    <message>
        <source>critic (scaled)</source>
        <translation>критик (в масштабе)</translation>
    </message>
    <message>
        <source>D(x): the trained discriminator&apos;s probability that x is real (the field&apos;s heatmap, at the same scale).</source>
        <translation>D(x): вероятность, которую обучаемый дискриминатор присваивает тому, что x реален (тепловая карта поля в том же масштабе).</translation>
    </message>
    <message>
        <source>The critic&apos;s score, scaled symmetrically to ±max (a wgan-gp or hinge critic is not a probability).</source>
        <translation>Оценка критика, симметрично отмасштабированная к ±max (критик wgan-gp или hinge — не вероятность).</translation>
    </message>
    <message>
        <source>D*(x) = p_data(x) / (p_data(x) + p_g(x)): the optimal discriminator for the current generator (Goodfellow et al. 2014, Proposition 1). Grey: neither distribution has mass there.</source>
        <translation>D*(x) = p_data(x) / (p_data(x) + p_g(x)): оптимальный дискриминатор для текущего генератора (Goodfellow et al. 2014, утверждение 1). Серый: там нет массы ни у одного из распределений.</translation>
    </message>
    <message>
        <source>D(x) − D*(x): where the trained D is below (brown) or above (teal) the optimal one. All white means D has caught up with the generator.</source>
        <translation>D(x) − D*(x): где обучаемый D ниже (коричневый) или выше (бирюзовый) оптимального. Всё белое — D догнал генератор.</translation>
    </message>
    <message>
        <source>No closed-form optimal discriminator for {0}: its critic is not a probability, so D* is not drawn.</source>
        <translation>Для {0} нет оптимального дискриминатора в явном виде: критик — не вероятность, поэтому D* не рисуется.</translation>
    </message>
    <message>
        <source>Theory is off for this frame: D* and the JSD are not computed.</source>
        <translation>Теория для этого кадра выключена: D* и JSD не вычисляются.</translation>
    </message>
    <message>
        <source>JSD(p_data || p_g) in nats (0 when p_g = p_data, at most log 2); V(G, D) is the GAN value E_data[log D] + E_g[log(1 - D)] for the trained D; at the optimal D* it equals -log 4 + 2 JSD (Goodfellow et al. 2014, Theorem 1). p_g is a kernel density estimate of the generated samples with bandwidth h; p_data is smoothed with the same kernel.</source>
        <translation>JSD(p_data || p_g) — расхождение Йенсена–Шеннона в натах (0 при p_g = p_data, не больше log 2); V(G, D) — функция ценности GAN E_data[log D] + E_g[log(1 - D)] для обучаемого D; при оптимальном D* она равна -log 4 + 2 JSD (Goodfellow et al. 2014, теорема 1). p_g — ядерная оценка плотности сгенерированных точек с шириной окна h; p_data сглажено тем же ядром.</translation>
    </message>
    <message>
        <source>One colour scale for D and D*: green = likely generated, purple = likely real, white = 1/2 (cannot tell).</source>
        <translation>Одна цветовая шкала для D и D*: зелёный — скорее сгенерированные, фиолетовый — скорее реальные, белый — 1/2 (не различить).</translation>
    </message>
    <message>
        <source>D − D* needs D* (see the middle panel).</source>
        <translation>Для D − D* нужен D* (см. среднюю панель).</translation>
    </message>
    <message>
        <source>Theory off: no JSD, V(G, D) or D* for this frame.</source>
        <translation>Теория выключена: для этого кадра нет JSD, V(G, D) и D*.</translation>
    </message>
    <message>
        <source>V(G, D): n/a (the critic is not a probability)</source>
        <translation>V(G, D): нет (критик — не вероятность)</translation>
    </message>
    <message>
        <source>JSD = {0:.4f} nats (smoothed: a lower bound)</source>
        <translation>JSD = {0:.4f} нат (сглаженная: нижняя оценка)</translation>
    </message>
    <message>
        <source>V(G, D) = {0:.4f} ± {1:.4f} (samples)</source>
        <translation>V(G, D) = {0:.4f} ± {1:.4f} (по выборке)</translation>
    </message>
    <message>
        <source>V(G, D): —</source>
        <translation>V(G, D): —</translation>
    </message>
    <message>
        <source>V(G, D*) = −log 4 + 2 JSD = {0:.4f}</source>
        <translation>V(G, D*) = −log 4 + 2 JSD = {0:.4f}</translation>
    </message>
    <message>
        <source>KDE bandwidth h = {0:.3g}</source>
        <translation>ширина окна KDE h = {0:.3g}</translation>
    </message>
    <message>
        <source>(theory from iteration {0})</source>
        <translation>(теория с итерации {0})</translation>
    </message>
    <message>
        <source>only {0:.0f}% of generated samples inside the box</source>
        <translation>в области лишь {0:.0f}% сгенерированных точек</translation>
    </message>
</context>
<context>
    <name>TrainingWorker</name>
    <message>
        <source>Reset: new networks from seed {0}</source>
        <translation>Сброс: новые сети из сида {0}</translation>
    </message>
    <message>
        <source>Could not apply settings: {0}</source>
        <translation>Не удалось применить настройки: {0}</translation>
    </message>
    <message>
        <source>D set to D*: mean |D − D*| = {0:.3f} over samples of p_data and p_g</source>
        <translation>D приравнен к D*: среднее |D − D*| = {0:.3f} по точкам из p_data и p_g</translation>
    </message>
    <message>
        <source>Could not open that run: {0}</source>
        <translation>Не удалось открыть этот запуск: {0}</translation>
    </message>
    <message>
        <source>Could not load session: {0}</source>
        <translation>Не удалось загрузить сеанс: {0}</translation>
    </message>
    <message>
        <source>Training stopped: {0}: {1}</source>
        <translation>Обучение остановлено: {0}: {1}</translation>
    </message>
</context>
<context>
    <name>Transport</name>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Пуск</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>Управление обучением</translation>
    </message>
    <message>
        <source>Train continuously / pause</source>
        <translation>Непрерывное обучение / пауза</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>One iteration: k_D discriminator steps, then k_G generator steps</source>
        <translation>Одна итерация: k_D шагов дискриминатора, затем k_G шагов генератора</translation>
    </message>
    <message>
        <source>D step</source>
        <translation>Шаг D</translation>
    </message>
    <message>
        <source>One discriminator step alone</source>
        <translation>Только один шаг дискриминатора</translation>
    </message>
    <message>
        <source>G step</source>
        <translation>Шаг G</translation>
    </message>
    <message>
        <source>One generator step alone</source>
        <translation>Только один шаг генератора</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сброс</translation>
    </message>
    <message>
        <source>New networks from the seed; clears the curves. After 1,000 iterations, press twice</source>
        <translation>Новые сети из сида; графики очищаются. После 1000 итераций нажмите дважды</translation>
    </message>
    <message>
        <source> Speed </source>
        <translation> Скорость </translation>
    </message>
    <message>
        <source>Cap on iterations per second; the slow settings are for explaining single steps while they happen. Fast-forward draws 10 frames a second instead of 32, so that training runs faster.</source>
        <translation>Ограничение числа итераций в секунду; медленные режимы нужны, чтобы объяснять отдельные шаги по ходу обучения. В ускоренном режиме рисуется 10 кадров в секунду вместо 32, и обучение идёт быстрее.</translation>
    </message>
</context>
<context>
    <name>TwinRuns</name>
    <message>
        <source>{0}: {1} = {2}</source>
        <translation>{0}: {1} = {2}</translation>
    </message>
    <message>
        <source>Twin runs: {0}</source>
        <translation>Парные запуски: {0}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Пуск</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Сброс</translation>
    </message>
    <message>
        <source>New networks from the same seed: iteration 0 again</source>
        <translation>Новые сети из того же сида: снова итерация 0</translation>
    </message>
    <message>
        <source>Click a run to open it as the main run</source>
        <translation>Щёлкните запуск, чтобы открыть его как основной</translation>
    </message>
    <message>
        <source>Click to open this run as the main run (the twins pause)</source>
        <translation>Щёлкните, чтобы открыть этот запуск как основной (пары встанут на паузу)</translation>
    </message>
    <message>
        <source>JSD (nats)</source>
        <translation>JSD (наты)</translation>
    </message>
    <message>
        <source>A − B</source>
        <translation>A − B</translation>
    </message>
    <message>
        <source>iteration</source>
        <translation>итерация</translation>
    </message>
    <message>
        <source>JSD of A</source>
        <translation>JSD для A</translation>
    </message>
    <message>
        <source>JSD of B</source>
        <translation>JSD для B</translation>
    </message>
    <message>
        <source>These twin runs cannot be built: {0}</source>
        <translation>Не удалось построить эти парные запуски: {0}</translation>
    </message>
    <message>
        <source>{0}  vs  {1} · same seed, everything else equal</source>
        <translation>{0}  vs  {1} · тот же сид, всё остальное одинаково</translation>
    </message>
    <message>
        <source> · iteration {0}</source>
        <translation> · итерация {0}</translation>
    </message>
    <message>
        <source> · JSD A − B = {0:+.3f} nats</source>
        <translation> · JSD A − B = {0:+.3f} нат</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>пауза</translation>
    </message>
    <message>
        <source>{0:.0f} iterations/s</source>
        <translation>{0:.0f} итераций/с</translation>
    </message>
</context>
<context>
    <name>World1DView</name>
    <message>
        <source>Mode centre of p_data: drag it along the line, wheel or right-click to change its std, right-click to remove it. Double-click empty space to add a mode.</source>
        <translation>Центр моды p_data: тащите вдоль прямой; колесо или правый щелчок меняют её std, правый щелчок удаляет её. Двойной щелчок по пустому месту добавляет моду.</translation>
    </message>
    <message>
        <source>mode {0}  x = {1:.3f}  std {2:.3g}</source>
        <translation>мода {0}  x = {1:.3f}  std {2:.3g}</translation>
    </message>
    <message>
        <source>mode {0} at {1:.2f}, std {2:.3g}</source>
        <translation>мода {0} в {1:.2f}, std {2:.3g}</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>z_1 (first noise coordinate)</source>
        <translation>z_1 (первая координата шума)</translation>
    </message>
    <message>
        <source>density</source>
        <translation>плотность</translation>
    </message>
    <message>
        <source>D</source>
        <translation>D</translation>
    </message>
    <message>
        <source>critic (scaled)</source>
        <translation>критик (в масштабе)</translation>
    </message>
    <message>
        <source>p_data (exact)</source>
        <translation>p_data (точная)</translation>
    </message>
    <message>
        <source>p_data smoothed</source>
        <translation>p_data сглаженная</translation>
    </message>
    <message>
        <source>p_g (KDE)</source>
        <translation>p_g (KDE)</translation>
    </message>
    <message>
        <source>D(x)</source>
        <translation>D(x)</translation>
    </message>
    <message>
        <source>D*(x)</source>
        <translation>D*(x)</translation>
    </message>
    <message>
        <source>real samples</source>
        <translation>реальные точки</translation>
    </message>
    <message>
        <source>generated samples</source>
        <translation>сгенерированные точки</translation>
    </message>
    <message>
        <source>z → G(z)</source>
        <translation>z → G(z)</translation>
    </message>
    <message>
        <source>{0} has a critic, not a probability: its score is drawn scaled to ±max (0 in the middle), and there is no D* to compare it with.</source>
        <translation>У {0} критик, а не вероятность: его оценка показана в масштабе ±max (0 посередине), и сравнивать её не с чем — D* нет.</translation>
    </message>
</context>
</TS>
