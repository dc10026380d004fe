<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0">
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,215,0,255"/>
            <Option name="name" type="QString" value="star"/>
            <Option name="outline_color" type="QString" value="120,0,0,255"/>
            <Option name="outline_width" type="QString" value="0.3"/>
            <Option name="size" type="QString" value="6"/>
            <Option name="size_unit" type="QString" value="MM"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fontFamily="Noto Sans CJK SC" fieldName="'建议 #' || &quot;rank&quot; || ' ' || CASE WHEN &quot;kind&quot; = 'service_centre' THEN '党群服务中心' WHEN &quot;kind&quot; = 'warm_station' THEN '暖心驿站' ELSE &quot;kind&quot; END" isExpression="1" fontSize="9" fontSizeUnit="Point" textColor="120,0,0,255" textOpacity="1" multilineHeight="1" fontWeight="50" namedStyle="Regular">
        <families>
          <family name="Noto Sans CJK SC"/>
          <family name="Source Han Sans SC"/>
          <family name="WenQuanYi Micro Hei"/>
          <family name="Microsoft YaHei"/>
          <family name="PingFang SC"/>
          <family name="SimHei"/>
        </families>
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <text-format multilineAlign="1" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="0" plussign="0"/>
      <placement placement="0" dist="1" distUnits="MM" offsetType="0" priority="5" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" upsidedownLabels="0" scaleVisibility="0" fontLimitPixelSize="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" labelPerPart="0" zIndex="0"/>
    </settings>
  </labeling>
  <aliases>
    <alias index="0" field="rank" name="选址顺序 rank (order of selection)"/>
    <alias index="1" field="cand_id" name="候选点编号 candidate id"/>
    <alias index="2" field="name" name="候选点名称 candidate name"/>
    <alias index="3" field="type" name="候选点类型 candidate type"/>
    <alias index="4" field="address" name="地址 address"/>
    <alias index="5" field="road" name="所在道路 nearest named road (A / B: intersection)"/>
    <alias index="6" field="comm_code" name="社区代码 community code"/>
    <alias index="7" field="comm_name" name="社区名称 community name"/>
    <alias index="8" field="grid_code" name="网格编码 grid code"/>
    <alias index="9" field="lon" name="经度（WGS84） longitude (WGS84)"/>
    <alias index="10" field="lat" name="纬度（WGS84） latitude (WGS84)"/>
    <alias index="11" field="kind" name="设施类别 facility kind"/>
    <alias index="12" field="gain" name="新增覆盖量 newly covered, in `weight` units (marginal gain)"/>
    <alias index="13" field="cum_cov" name="累计覆盖量 covered, in `weight` units (cumulative)"/>
    <alias index="14" field="cum_pct" name="累计覆盖率（%） share of the weight covered (cumulative %)"/>
    <alias index="15" field="incumbent" name="方案目标值 objective of the chosen set"/>
    <alias index="16" field="bound" name="目标值上界 proven upper bound of the objective"/>
    <alias index="17" field="gap_pct" name="最优性差距（%） optimality gap (%)"/>
    <alias index="18" field="weight" name="覆盖量单位 unit of gain and cum_cov (residents, households, buildings, street_m)"/>
  </aliases>
</qgis>
